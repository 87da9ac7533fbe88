// Retransmission memory per box. A box repeats an event until it hears our ACK; an ACK can be
// lost, so the same event counter arrives again. It must be ACKed again but recorded only once.
// While the first copy is still being recorded, later copies are ignored: the first one's ACK
// answers them all (the SEQ of a retransmission is the same).

export type DedupVerdict = 'new' | 'in-flight' | 'duplicate';

class BoxMemory {
  private readonly ring: number[] = [];
  private readonly delivered = new Set<number>();
  readonly inFlight = new Set<number>();
  constructor(private readonly size: number) {}

  has(id: number): boolean {
    return this.delivered.has(id);
  }

  remember(id: number): void {
    if (this.delivered.has(id)) return;
    this.delivered.add(id);
    this.ring.push(id);
    if (this.ring.length > this.size) this.delivered.delete(this.ring.shift()!);
  }
}

export class EventDedup {
  private readonly boxes = new Map<number, BoxMemory>();
  /** Counters are monotonic per box and boxes send one event at a time, so a short memory is enough. */
  constructor(private readonly memory = 32) {}

  begin(address: number, eventId: number): DedupVerdict {
    const box = this.box(address);
    if (box.has(eventId)) return 'duplicate';
    if (box.inFlight.has(eventId)) return 'in-flight';
    box.inFlight.add(eventId);
    return 'new';
  }

  delivered(address: number, eventId: number): void {
    const box = this.box(address);
    box.inFlight.delete(eventId);
    box.remember(eventId);
  }

  /** The sink refused: forget it, so the box's next retransmission is processed afresh. */
  failed(address: number, eventId: number): void {
    this.box(address).inFlight.delete(eventId);
  }

  private box(address: number): BoxMemory {
    let box = this.boxes.get(address);
    if (!box) this.boxes.set(address, (box = new BoxMemory(this.memory)));
    return box;
  }
}
