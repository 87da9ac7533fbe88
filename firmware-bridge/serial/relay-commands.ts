// Gateway → box relay commands with stop-and-wait retry. Owns the retry timers of the commands
// in flight. A command is written the moment it is asked for, never queued behind another box's
// retries. One command per box is in flight: a newer one supersedes it, because a late
// retransmission of the old state must not undo the new one.
import { CodedError } from '../../common/coded-error.ts';
import type { Outputs } from '../transport/box-transport.ts';
import { NakReason } from '../protocol/messages.ts';
import { QUICK_TRIES, retryDelayMs } from '../protocol/timing.ts';

export interface RelayCommandsOptions {
  /** Builds and writes a RELAY_COMMAND frame with this SEQ; called for every (re)transmission. */
  send(address: number, seq: number, outputs: Outputs): void;
  nextSeq(): number;
  random?: () => number;
  onRetry?(address: number): void;
}

interface InFlight {
  seq: number;
  outputs: Outputs;
  sent: number;
  timer: NodeJS.Timeout | null;
  resolve(): void;
  reject(err: Error): void;
}

export class RelayCommands {
  private readonly inFlight = new Map<number, InFlight>();

  constructor(private readonly options: RelayCommandsOptions) {}

  command(address: number, outputs: Outputs): Promise<void> {
    this.settle(address, new CodedError('RELAY_SUPERSEDED', 'a newer relay command for this box replaced this one', { address }));
    return new Promise<void>((resolve, reject) => {
      const cmd: InFlight = { seq: this.options.nextSeq(), outputs, sent: 0, timer: null, resolve, reject };
      this.inFlight.set(address, cmd);
      this.transmit(address, cmd);
    });
  }

  /** True if the ACK answered a command in flight. */
  onAck(address: number, ackedSeq: number): boolean {
    const cmd = this.inFlight.get(address);
    if (!cmd || cmd.seq !== ackedSeq) return false;
    this.settle(address, null);
    return true;
  }

  /** A NAK ends the command unless the box was only busy (then the retries go on). */
  onNak(address: number, nakedSeq: number, reason: number): boolean {
    const cmd = this.inFlight.get(address);
    if (!cmd || cmd.seq !== nakedSeq) return false;
    if (reason !== NakReason.BUSY) {
      this.settle(address, new CodedError('RELAY_NAK', `box refused the relay command (reason ${reason})`, { address, reason }));
    }
    return true;
  }

  cancelAll(err: Error): void {
    for (const address of [...this.inFlight.keys()]) this.settle(address, err);
  }

  private transmit(address: number, cmd: InFlight): void {
    cmd.sent++;
    this.options.send(address, cmd.seq, cmd.outputs);
    cmd.timer = setTimeout(() => {
      cmd.timer = null;
      if (this.inFlight.get(address) !== cmd) return;
      if (cmd.sent >= QUICK_TRIES) {
        this.settle(address, new CodedError('RELAY_NO_ACK', `no ACK from box ${address} after ${cmd.sent} tries`, { address, tries: cmd.sent }));
        return;
      }
      this.options.onRetry?.(address);
      this.transmit(address, cmd);
    }, retryDelayMs(cmd.sent, this.options.random));
  }

  private settle(address: number, err: Error | null): void {
    const cmd = this.inFlight.get(address);
    if (!cmd) return;
    this.inFlight.delete(address);
    if (cmd.timer) clearTimeout(cmd.timer);
    if (err) cmd.reject(err);
    else cmd.resolve();
  }
}
