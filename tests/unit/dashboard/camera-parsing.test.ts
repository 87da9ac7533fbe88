import { describe, expect, it } from 'vitest';
import type { Attachment, CameraView } from '../../../dashboard/src/api-types.ts';
import { parseAttachments, parseFeedMessage, parseSite } from '../../../dashboard/src/parse.ts';
import { applyFeedMessage, emptyView } from '../../../dashboard/src/state.ts';

const camera: CameraView = {
  cameraId: 'dome-1',
  kind: 'ptz',
  state: 'online',
  since: '2026-11-23T08:00:00Z',
  ptz: { serving: 'INC-1', phase: 'scan', manual: null },
};
const attachment: Attachment = { id: 7, incidentId: 'INC-1', cameraId: 'dome-1', kind: 'snapshot', bytes: 12345, at: '2026-11-23T08:00:01Z' };

describe('camera and attachment messages', () => {
  it('parses camera, attachment and the snapshot’s camera list; drops bad records', () => {
    expect(parseFeedMessage(JSON.stringify({ type: 'camera', camera }))).toEqual({ type: 'camera', camera });
    expect(parseFeedMessage(JSON.stringify({ type: 'camera', camera: { ...camera, state: 'melted' } }))).toBeNull();
    expect(parseFeedMessage(JSON.stringify({ type: 'attachment', attachment }))).toEqual({ type: 'attachment', attachment });
    expect(parseFeedMessage(JSON.stringify({ type: 'attachment', attachment: { ...attachment, id: '7' } }))).toBeNull();
    const snap = parseFeedMessage(JSON.stringify({ type: 'snapshot', incidents: [], devices: [], bridge: { connected: true }, cameras: [camera, { cameraId: 1 }] }));
    expect(snap).toMatchObject({ type: 'snapshot', cameras: [camera] });
    expect(parseAttachments([attachment, { id: 'x' }])).toEqual([attachment]);
    expect(parseAttachments({})).toBeNull();
  });

  it('keeps camera states by id, replaced by each snapshot, and attachments by incident without duplicates', () => {
    let v = applyFeedMessage(emptyView(), { type: 'snapshot', incidents: [], devices: [], bridge: { connected: true }, cameras: [camera] });
    expect(v.cameras.get('dome-1')?.state).toBe('online');
    v = applyFeedMessage(v, { type: 'camera', camera: { ...(camera), state: 'offline' } });
    expect(v.cameras.get('dome-1')?.state).toBe('offline');
    v = applyFeedMessage(v, { type: 'attachment', attachment: attachment });
    const again = applyFeedMessage(v, { type: 'attachment', attachment: attachment });
    expect(again).toBe(v);
    expect(v.attachments.get('INC-1')).toHaveLength(1);
    v = applyFeedMessage(v, { type: 'snapshot', incidents: [], devices: [], bridge: { connected: true } });
    expect(v.cameras.size).toBe(0);
    expect(v.attachments.get('INC-1')).toHaveLength(1);
  });

  it('reads the site’s cameras and box links, and still takes a site without them', () => {
    const base = {
      site: { id: 's', name: { zh: '校', en: 'School' }, plan: { width: 10, height: 10 } },
      buildings: [],
      boxes: [
        {
          id: 'box-gate',
          name: { zh: '南门', en: 'Gate' },
          location: { building: 'b', floor: 1, point: { x: 1, y: 1 }, text: { zh: '南门', en: 'Gate' } },
          priority: 'red',
          silent: false,
          transport: 'serial',
        },
      ],
    };
    const old = parseSite(base);
    expect(old?.cameras).toEqual([]);
    expect(old?.boxes[0]?.cameras).toEqual([]);
    const site = parseSite({
      ...base,
      boxes: [{ ...base.boxes[0], cameras: [{ camera: 'dome-1', preset: 'p1' }, { nope: true }] }],
      cameras: [{ id: 'dome-1', name: { zh: '球机', en: 'Dome' }, kind: 'ptz', location: { building: 'b' } }, { id: 'bad', kind: 'ptz' }],
    });
    expect(site?.boxes[0]?.cameras).toEqual([{ camera: 'dome-1', preset: 'p1' }]);
    expect(site?.cameras.map((c) => c.id)).toEqual(['dome-1']);
  });
});
