// Retransmission memory per box. A box repeats an event until it hears our ACK; an ACK can be
// lost, so the same event counter arrives again. It must be ACKed again but recorded only once.
// While the first copy is still being recorded, later copies are ignored: the first one's ACK
// answers them all (the SEQ of a retransmission is the same).
// Boxes send one event at a time, in order (stop-and-wait), so only the event delivered last can
// come again. Any other counter is new, even one seen long ago: a box whose counter went back (a
// factory reset, a spare put in its place) must still be heard. Losing an alarm is worse than
// recording one twice.

export type DedupVerdict = 'new' | 'in-flight' | 'duplicate';

class BoxMemory {
  lastDelivered: number | null = null;
  readonly inFlight = new Set<number>();
}

export class EventDedup {
  private readonly boxes = new Map<number, BoxMemory>();

  begin(address: number, eventId: number): DedupVerdict {
    const box = this.box(address);
    if (box.lastDelivered === eventId) return 'duplicate';
    if (box.inFlight.has(eventId)) return 'in-flight';
    box.inFlight.add(eventId);
    return 'new';
  }

  delivered(address: number, eventId: number): void {
    const box = this.box(address);
    box.inFlight.delete(eventId);
    box.lastDelivered = eventId;
  }

  /** The sink refused: forget it, so the box's next retransmission is processed afresh. */
  failed(address: number, eventId: number): void {
    this.box(address).inFlight.delete(eventId);
  }

  private box(address: number): BoxMemory {
    let box = this.boxes.get(address);
    if (!box) this.boxes.set(address, (box = new BoxMemory()));
    return box;
  }
}
