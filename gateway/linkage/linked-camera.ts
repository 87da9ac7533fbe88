// What linkage needs of a camera. The ONVIF adapter (gateway/cameras) provides it; a new vendor
// protocol would be a new adapter, not a change here.
export interface LinkedCamera {
  gotoPreset(token: string): Promise<unknown>;
  gotoHome(): Promise<unknown>;
  continuousMove(velocity: { x: number; y: number; zoom: number }, timeoutMs?: number): Promise<unknown>;
  stop(): Promise<unknown>;
  /** The camera's own preset tours; empty where it has none. */
  presetTours(): Promise<Array<{ token: string }>>;
  startPresetTour(token: string): Promise<unknown>;
  stopPresetTour(token: string): Promise<unknown>;
  snapshot(): Promise<Buffer>;
}

export type CameraLookup = (cameraId: string) => LinkedCamera | undefined;
