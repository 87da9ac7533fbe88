// The MQTT topic scheme of alarm boxes (see MQTT.md): campus/<site>/box/<box>/<leaf>.
// Pure string work, shared by the bridge transport, the broker's authorizer and the simulator.

export type BoxLeaf = 'event' | 'status' | 'relay/set' | 'relay/state' | 'ack';

/** What a box publishes (box → gateway). */
export const BOX_PUBLISHES: readonly BoxLeaf[] = ['event', 'status', 'relay/state'];
/** What the bridge publishes to a box (gateway → box); also all a box may subscribe to. */
export const BRIDGE_PUBLISHES: readonly BoxLeaf[] = ['relay/set', 'ack'];

const LEAVES: ReadonlySet<string> = new Set<BoxLeaf>([...BOX_PUBLISHES, ...BRIDGE_PUBLISHES]);

export function boxTopic(siteId: string, boxId: string, leaf: BoxLeaf): string {
  return `campus/${siteId}/box/${boxId}/${leaf}`;
}

/** Subscription filter for one leaf of every box of the site. */
export function allBoxesFilter(siteId: string, leaf: BoxLeaf): string {
  return `campus/${siteId}/box/+/${leaf}`;
}

/** Splits a concrete topic of this site; null if it is not one of ours (or holds wildcards). */
export function parseBoxTopic(siteId: string, topic: string): { boxId: string; leaf: BoxLeaf } | null {
  const levels = topic.split('/');
  if (levels.length < 5 || levels.length > 6) return null;
  const [campus, site, box, boxId, ...rest] = levels;
  if (campus !== 'campus' || site !== siteId || box !== 'box' || !boxId || isWildcardOrEmpty(boxId)) return null;
  const leaf = rest.join('/');
  return LEAVES.has(leaf) ? { boxId, leaf: leaf as BoxLeaf } : null;
}

function isWildcardOrEmpty(level: string): boolean {
  return level === '' || level.includes('+') || level.includes('#');
}
