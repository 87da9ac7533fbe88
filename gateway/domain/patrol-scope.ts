// A patrol officer works the incidents dispatched to their own team, and no others: the centre
// chose that team, and two teams answering one call (or none) is what dispatching prevents.
// Other roles are not scoped. Pure.
import { dispatchedTeam, type Incident } from './incident.ts';
import type { Role } from './roles.ts';

export interface ScopedActor {
  role: Role;
  /** A patrol user's team; null for other roles (and for a patrol user without one). */
  team: string | null;
}

/** Whether this person may act on this incident at all (the role table decides which actions). */
export function mayActOnIncident(actor: ScopedActor, incident: Pick<Incident, 'steps'>): boolean {
  if (actor.role !== 'patrol') return true;
  const team = dispatchedTeam(incident);
  return actor.team !== null && team !== null && team === actor.team;
}
