// What a person may do with a camera from the API: take a dome by hand (linkage then leaves it
// alone), move it, send it to a preset, let it go. Checks that the camera exists and can do it.
import { CodedError } from '../../common/coded-error.ts';
import type { SiteConfig } from '../../config/schema.ts';
import type { CameraLookup, LinkedCamera } from './linked-camera.ts';
import type { PtzLinkageRunner } from './ptz-linkage-runner.ts';

export class CameraControl {
  constructor(
    private readonly site: SiteConfig,
    private readonly cameras: CameraLookup,
    private readonly runner: PtzLinkageRunner,
  ) {}

  private dome(cameraId: string): LinkedCamera {
    const config = this.site.cameras.find((c) => c.id === cameraId);
    if (!config) throw new CodedError('CAMERA_NOT_FOUND', `no camera "${cameraId}"`);
    if (config.kind !== 'ptz') throw new CodedError('PTZ_UNSUPPORTED', `camera "${cameraId}" is fixed`);
    const cam = this.cameras(cameraId);
    if (!cam) throw new CodedError('CAMERA_OFFLINE', `camera "${cameraId}" is not connected`);
    return cam;
  }

  take(cameraId: string, by: string, holdMs?: number): void {
    this.dome(cameraId);
    this.runner.take(cameraId, by, holdMs);
  }

  release(cameraId: string): void {
    this.dome(cameraId);
    this.runner.release(cameraId);
  }

  /** Any manual movement takes the dome first, so linkage never fights the operator. */
  async move(cameraId: string, by: string, velocity: { x: number; y: number; zoom: number }, timeoutMs: number): Promise<void> {
    const cam = this.dome(cameraId);
    this.runner.take(cameraId, by);
    await cam.continuousMove(velocity, timeoutMs);
  }

  async stop(cameraId: string, by: string): Promise<void> {
    const cam = this.dome(cameraId);
    this.runner.take(cameraId, by);
    await cam.stop();
  }

  async gotoPreset(cameraId: string, by: string, preset: string): Promise<void> {
    const cam = this.dome(cameraId);
    this.runner.take(cameraId, by);
    await cam.gotoPreset(preset);
  }
}
