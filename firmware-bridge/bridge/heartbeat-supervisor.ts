// Supervision: a box that has not been heard from for three heartbeat intervals is offline
// (GB 50394: a fault must be reported, never silently missed). One timer for all boxes.
import type { BoxState } from '../link/messages.ts';

export interface SupervisedBox {
  boxId: string;
  heartbeatIntervalMs: number;
}

export interface SupervisorTarget {
  state(boxId: string): BoxState | undefined;
  markOffline(boxId: string, reason: string): void;
}

export const MISSED_HEARTBEATS_OFFLINE = 3;

export class HeartbeatSupervisor {
  private timer: NodeJS.Timeout | null = null;
  private readonly startedAt: number;
  private readonly reportedNeverSeen = new Set<string>();

  constructor(
    private readonly boxes: SupervisedBox[],
    private readonly target: SupervisorTarget & { markNeverSeen(boxId: string): void },
    private readonly now: () => number = Date.now,
  ) {
    this.startedAt = now();
  }

  start(): void {
    const shortest = Math.min(...this.boxes.map((b) => b.heartbeatIntervalMs), 60000);
    // Check four times per shortest interval: an offline box is reported within 3¼ intervals at worst.
    this.timer = setInterval(() => this.check(), Math.max(25, Math.floor(shortest / 4)));
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  check(): void {
    const now = this.now();
    for (const b of this.boxes) {
      const limit = MISSED_HEARTBEATS_OFFLINE * b.heartbeatIntervalMs;
      const s = this.target.state(b.boxId);
      if (!s) continue;
      if (s.lastSeen === null) {
        if (now - this.startedAt > limit && !this.reportedNeverSeen.has(b.boxId)) {
          this.reportedNeverSeen.add(b.boxId);
          this.target.markNeverSeen(b.boxId);
        }
        continue;
      }
      if (s.online && now - Date.parse(s.lastSeen) > limit) this.target.markOffline(b.boxId, 'HEARTBEAT_MISSED');
    }
  }
}
