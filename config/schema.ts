// The site file's schema: one YAML file per site, checked before anything starts.
// Every rule that can name a field lives here, so `config check` and start-up say the same.
import { z } from 'zod';

const id = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,47}$/, 'must be 1-48 characters: lower-case letters, digits and "-"');

/** A text shown to people: Chinese first, English second. */
export const LocalText = z.strictObject({
  zh: z.string().min(1).max(200),
  en: z.string().min(1).max(200),
});

export const Priority = z.enum(['red', 'orange', 'yellow']);

const Point = z.strictObject({ x: z.number().min(0).max(100000), y: z.number().min(0).max(100000) });

export const Location = z.strictObject({
  building: id,
  floor: z.number().int().min(-10).max(200),
  point: Point,
  text: LocalText,
});

const SerialTransport = z.strictObject({
  kind: z.literal('serial'),
  line: id,
  address: z.number().int().min(1).max(247),
});

const ModbusTransport = z.strictObject({
  kind: z.literal('modbus'),
  module: id,
  buttonInput: z.number().int().min(0).max(63),
  tamperInput: z.number().int().min(0).max(63).optional(),
  strobeCoil: z.number().int().min(0).max(63),
  sirenCoil: z.number().int().min(0).max(63),
});

const MqttTransport = z.strictObject({
  kind: z.literal('mqtt'),
});

/** A camera that looks at an alarm box: for a PTZ dome, the preset that points at the box. */
const BoxCamera = z.strictObject({
  camera: id,
  preset: z.string().min(1).max(64).optional(),
});

const Host = z.union([z.literal('localhost'), z.ipv4(), z.ipv6()]);

export const Camera = z.strictObject({
  id,
  name: LocalText,
  kind: z.enum(['ptz', 'fixed']),
  location: Location.optional(),
  /** The ONVIF device service. Credentials live in the secrets file under cameras.<id>. */
  onvif: z.strictObject({
    host: Host,
    port: z.number().int().min(1).max(65535),
    path: z.string().startsWith('/').max(256).default('/onvif/device_service'),
  }),
  /** After a PTZ dome turned to an alarm: stay, then scan. */
  scan: z
    .strictObject({
      dwellMs: z.number().int().min(0).max(600000).default(10000),
      /** Our own scan loop when the camera has no preset tour. */
      presets: z.array(z.string().min(1).max(64)).max(32).default([]),
      stepMs: z.number().int().min(500).max(600000).default(5000),
      /** Use the camera's own preset tour where it reports one. */
      useCameraTour: z.boolean().default(true),
    })
    .default({ dwellMs: 10000, presets: [], stepMs: 5000, useCameraTour: true }),
});

export const AlarmBox = z.strictObject({
  id,
  name: LocalText,
  location: Location,
  priority: Priority.default('red'),
  /** A silent alarm switches the strobe on but never the siren (duress, hostage situations). */
  silent: z.boolean().default(false),
  transport: z.discriminatedUnion('kind', [SerialTransport, ModbusTransport, MqttTransport]),
  /** Cameras linked to this box: the box's own camera, the PTZ dome above it, Sharp Eyes cameras nearby. */
  cameras: z.array(BoxCamera).max(16).default([]),
});

export const SerialLine = z.strictObject({
  id,
  path: z.string().min(1).max(256),
  baudRate: z.number().int().min(1200).max(921600).default(9600),
  /** Boxes on this line send a heartbeat this often; three missed ones mark a box offline. */
  heartbeatIntervalMs: z.number().int().min(100).max(600000).default(10000),
});

export const ModbusModule = z.strictObject({
  id,
  unit: z.number().int().min(1).max(247),
  inputs: z.number().int().min(1).max(64).default(8),
});

export const ModbusBus = z.strictObject({
  id,
  path: z.string().min(1).max(256),
  baudRate: z.number().int().min(1200).max(921600).default(9600),
  pollIntervalMs: z.number().int().min(10).max(10000).default(50),
  timeoutMs: z.number().int().min(20).max(5000).default(200),
  /** Consecutive failed polls before a module is reported offline. */
  offlineAfterFailures: z.number().int().min(1).max(100).default(3),
  modules: z.array(ModbusModule).min(1).max(32),
});

/** A patrol team the centre dispatches to; patrol users belong to one. */
export const PatrolTeam = z.strictObject({
  id,
  name: LocalText,
});

/** The centre's targets, in seconds from the alarm: acknowledged by, someone on scene by. */
export const ResponseTargets = z.strictObject({
  acknowledgeS: z.number().int().min(1).max(3600).default(60),
  arriveS: z.number().int().min(1).max(86400).default(300),
});

export const Building = z.strictObject({
  id,
  name: LocalText,
  floors: z.array(z.number().int().min(-10).max(200)).min(1).max(200),
});

export const SiteConfig = z
  .strictObject({
    site: z.strictObject({
      id,
      name: LocalText,
      timezone: z.string().min(1).max(64).default('Asia/Shanghai'),
      plan: z.strictObject({ width: z.number().positive(), height: z.number().positive() }),
    }),
    buildings: z.array(Building).min(1).max(200),
    gateway: z.strictObject({
      host: z.union([z.literal('127.0.0.1'), z.literal('::1'), z.ipv4(), z.ipv6()]).default('127.0.0.1'),
      port: z.number().int().min(0).max(65535).default(8080),
      dataDir: z.string().min(1).max(512).default('data'),
      allowedOrigins: z.array(z.url()).max(32).default([]),
    }),
    broker: z.strictObject({
      host: z.union([z.literal('127.0.0.1'), z.literal('::1'), z.ipv4(), z.ipv6()]).default('127.0.0.1'),
      port: z.number().int().min(0).max(65535).default(1883),
      /** MQTT alarm boxes must heartbeat this often; three missed ones mark a box offline. */
      heartbeatIntervalMs: z.number().int().min(100).max(600000).default(10000),
    }),
    serialLines: z.array(SerialLine).max(32).default([]),
    modbusBuses: z.array(ModbusBus).max(32).default([]),
    alarmBoxes: z.array(AlarmBox).min(1).max(1000),
    /** Who the centre dispatches: every site has at least one patrol team. */
    patrolTeams: z.array(PatrolTeam).min(1).max(50),
    response: ResponseTargets.default({ acknowledgeS: 60, arriveS: 300 }),
    cameras: z.array(Camera).max(256).default([]),
    video: z
      .strictObject({
        /** Alarm-linked cameras keep their stream running with the last GOP ready (fast alarm view, pre-alarm evidence). */
        warm: z.enum(['linked', 'none']).default('linked'),
        warmProfile: z.enum(['main', 'sub']).default('sub'),
        /** DB15/T 3968: push the 30 s before the alarm; keep video 30-90 days. */
        evidence: z
          .strictObject({
            /** Record a clip per linked camera on every alarm. */
            clips: z.boolean().default(true),
            preSeconds: z.number().int().min(0).max(120).default(30),
            postSeconds: z.number().int().min(1).max(600).default(30),
            maxAgeDays: z.number().int().min(30).max(3650).default(90),
            /** 0 = no cap on the total; free space still bounds it. */
            maxTotalBytes: z.number().int().min(0).default(0),
            minFreeBytes: z.number().int().min(0).default(2 * 1024 ** 3),
          })
          .default({ clips: true, preSeconds: 30, postSeconds: 30, maxAgeDays: 90, maxTotalBytes: 0, minFreeBytes: 2 * 1024 ** 3 }),
      })
      .default({ warm: 'linked', warmProfile: 'sub', evidence: { clips: true, preSeconds: 30, postSeconds: 30, maxAgeDays: 90, maxTotalBytes: 0, minFreeBytes: 2 * 1024 ** 3 } }),
    /** WS-Discovery: find ONVIF cameras on the site network (probes stay on the given interface). */
    discovery: z
      .strictObject({
        enabled: z.boolean().default(false),
        /** Unicast probe targets (e.g. 127.0.0.1:3702 in tests); empty = multicast 239.255.255.250:3702. */
        probeTargets: z.array(z.string().regex(/^[^:]+:\d+$|^\[[0-9a-fA-F:]+\]:\d+$/, 'must be host:port')).max(64).default([]),
        timeoutMs: z.number().int().min(100).max(30000).default(3000),
        /** Probe again this often: cameras installed later are found without a restart. */
        intervalMs: z.number().int().min(1000).max(86400000).default(300000),
      })
      .default({ enabled: false, probeTargets: [], timeoutMs: 3000, intervalMs: 300000 }),
  })
  .superRefine((site, ctx) => {
    const unique = (kind: string, ids: string[], path: (i: number) => (string | number)[]) => {
      const seen = new Set<string>();
      ids.forEach((value, i) => {
        if (seen.has(value)) ctx.addIssue({ code: 'custom', path: path(i), message: `duplicate ${kind} id "${value}"` });
        seen.add(value);
      });
    };
    unique('alarm box', site.alarmBoxes.map((b) => b.id), (i) => ['alarmBoxes', i, 'id']);
    unique('serial line', site.serialLines.map((l) => l.id), (i) => ['serialLines', i, 'id']);
    unique('Modbus bus', site.modbusBuses.map((b) => b.id), (i) => ['modbusBuses', i, 'id']);
    unique('building', site.buildings.map((b) => b.id), (i) => ['buildings', i, 'id']);
    unique('camera', site.cameras.map((c) => c.id), (i) => ['cameras', i, 'id']);
    unique('patrol team', site.patrolTeams.map((t) => t.id), (i) => ['patrolTeams', i, 'id']);
    if (site.response.arriveS < site.response.acknowledgeS) {
      ctx.addIssue({ code: 'custom', path: ['response', 'arriveS'], message: 'must not be shorter than response.acknowledgeS' });
    }
    const cameras = new Map(site.cameras.map((c) => [c.id, c]));
    const moduleIds = site.modbusBuses.flatMap((b) => b.modules.map((m) => m.id));
    unique('Modbus module', moduleIds, () => ['modbusBuses']);

    const lines = new Set(site.serialLines.map((l) => l.id));
    const modules = new Map(site.modbusBuses.flatMap((b) => b.modules.map((m) => [m.id, m] as const)));
    const buildings = new Map(site.buildings.map((b) => [b.id, b]));
    const serialAddresses = new Set<string>();
    const moduleIo = new Set<string>();

    site.alarmBoxes.forEach((box, i) => {
      const at = (...rest: (string | number)[]) => ['alarmBoxes', i, ...rest];
      const building = buildings.get(box.location.building);
      if (!building) {
        ctx.addIssue({ code: 'custom', path: at('location', 'building'), message: `no building "${box.location.building}" in buildings` });
      } else if (!building.floors.includes(box.location.floor)) {
        ctx.addIssue({ code: 'custom', path: at('location', 'floor'), message: `building "${building.id}" has no floor ${box.location.floor}` });
      }
      const p = box.location.point;
      if (p.x > site.site.plan.width || p.y > site.site.plan.height) {
        ctx.addIssue({ code: 'custom', path: at('location', 'point'), message: 'point lies outside site.plan' });
      }
      box.cameras.forEach((link, j) => {
        const cam = cameras.get(link.camera);
        if (!cam) ctx.addIssue({ code: 'custom', path: at('cameras', j, 'camera'), message: `no camera "${link.camera}" in cameras` });
        else if (link.preset && cam.kind !== 'ptz') ctx.addIssue({ code: 'custom', path: at('cameras', j, 'preset'), message: `camera "${cam.id}" is fixed: it has no presets` });
      });
      const t = box.transport;
      if (t.kind === 'serial') {
        if (!lines.has(t.line)) ctx.addIssue({ code: 'custom', path: at('transport', 'line'), message: `no serial line "${t.line}" in serialLines` });
        const key = `${t.line}/${t.address}`;
        if (serialAddresses.has(key)) ctx.addIssue({ code: 'custom', path: at('transport', 'address'), message: `address ${t.address} is already used on line "${t.line}"` });
        serialAddresses.add(key);
      } else if (t.kind === 'modbus') {
        const mod = modules.get(t.module);
        if (!mod) {
          ctx.addIssue({ code: 'custom', path: at('transport', 'module'), message: `no Modbus module "${t.module}" in modbusBuses` });
          return;
        }
        const check = (field: string, kind: 'in' | 'coil', n: number | undefined) => {
          if (n === undefined) return;
          if (kind === 'in' && n >= mod.inputs) ctx.addIssue({ code: 'custom', path: at('transport', field), message: `module "${mod.id}" has only ${mod.inputs} inputs` });
          const key = `${mod.id}/${kind}/${n}`;
          if (moduleIo.has(key)) ctx.addIssue({ code: 'custom', path: at('transport', field), message: `${kind === 'in' ? 'input' : 'coil'} ${n} of module "${mod.id}" is already wired to another box` });
          moduleIo.add(key);
        };
        check('buttonInput', 'in', t.buttonInput);
        check('tamperInput', 'in', t.tamperInput);
        check('strobeCoil', 'coil', t.strobeCoil);
        check('sirenCoil', 'coil', t.sirenCoil);
      }
    });
  });

export type SiteConfig = z.infer<typeof SiteConfig>;
export type AlarmBoxConfig = z.infer<typeof AlarmBox>;
export type SerialLineConfig = z.infer<typeof SerialLine>;
export type ModbusBusConfig = z.infer<typeof ModbusBus>;
export type ModbusModuleConfig = z.infer<typeof ModbusModule>;
export type CameraConfig = z.infer<typeof Camera>;
export type PriorityColour = z.infer<typeof Priority>;
export type PatrolTeamConfig = z.infer<typeof PatrolTeam>;
export type ResponseTargetsConfig = z.infer<typeof ResponseTargets>;
export type LocalTextValue = z.infer<typeof LocalText>;
