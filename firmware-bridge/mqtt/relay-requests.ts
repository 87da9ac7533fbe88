// Gateway → box relay commands over MQTT: each carries a cmdId and is done when the box's
// relay/state echoes that cmdId. Owns the timeout timers of the commands in flight. One command
// per box: a newer one supersedes the old, whose late retransmission must not undo it.
import { CodedError } from '../../common/coded-error.ts';
import type { Outputs } from '../transport/box-transport.ts';

export const RELAY_TIMEOUT_MS = 2000;
/** Tries in all: the first send and two retries. */
export const RELAY_TRIES = 3;

interface InFlight {
  cmdId: number;
  outputs: Outputs;
  sent: number;
  timer: NodeJS.Timeout | null;
  resolve(): void;
  reject(err: Error): void;
}

export class RelayRequests {
  private readonly inFlight = new Map<string, InFlight>();
  // Starts at random: a box's late relay/state from before a bridge restart must not match.
  private nextCmdId = Math.floor(Math.random() * 0xffff_ffff);

  constructor(
    /** Publishes relay/set; called for every (re)transmission with the same cmdId. */
    private readonly send: (boxId: string, cmdId: number, outputs: Outputs) => void,
    private readonly timeoutMs = RELAY_TIMEOUT_MS,
  ) {}

  command(boxId: string, outputs: Outputs): Promise<void> {
    this.settle(boxId, new CodedError('RELAY_SUPERSEDED', 'a newer relay command for this box replaced this one', { boxId }));
    return new Promise<void>((resolve, reject) => {
      this.nextCmdId = (this.nextCmdId + 1) >>> 0;
      const cmd: InFlight = { cmdId: this.nextCmdId, outputs, sent: 0, timer: null, resolve, reject };
      this.inFlight.set(boxId, cmd);
      this.transmit(boxId, cmd);
    });
  }

  /** A relay/state from the box; true if it confirmed the command in flight. */
  onState(boxId: string, cmdId: number | null): boolean {
    const cmd = this.inFlight.get(boxId);
    if (!cmd || cmdId === null || cmd.cmdId !== cmdId) return false;
    this.settle(boxId, null);
    return true;
  }

  cancelAll(err: Error): void {
    for (const boxId of [...this.inFlight.keys()]) this.settle(boxId, err);
  }

  private transmit(boxId: string, cmd: InFlight): void {
    cmd.sent++;
    this.send(boxId, cmd.cmdId, cmd.outputs);
    cmd.timer = setTimeout(() => {
      cmd.timer = null;
      if (this.inFlight.get(boxId) !== cmd) return;
      if (cmd.sent >= RELAY_TRIES) {
        this.settle(boxId, new CodedError('RELAY_NO_ACK', `no relay/state from box ${boxId} after ${cmd.sent} tries`, { boxId, tries: cmd.sent }));
        return;
      }
      this.transmit(boxId, cmd);
    }, this.timeoutMs);
  }

  private settle(boxId: string, err: Error | null): void {
    const cmd = this.inFlight.get(boxId);
    if (!cmd) return;
    this.inFlight.delete(boxId);
    if (cmd.timer) clearTimeout(cmd.timer);
    if (err) cmd.reject(err);
    else cmd.resolve();
  }
}
