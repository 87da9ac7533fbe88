// Every string the page shows, in Chinese (the default) and English.
// The English table is typed against the Chinese one, so a key missing in either fails tsc.
import type { CameraKind, CameraState, CancelReason, IncidentKind, IncidentState, Lang, LocalText, Priority } from './api-types.ts';
import type { DeviceStatus, FeedStatus } from './state.ts';

const zh = {
  'app.title': '校园一键报警 · 值班台',
  'lang.switch': 'EN',
  'lang.switchTitle': 'Switch to English',

  'login.heading': '值班登录',
  'login.username': '用户名',
  'login.password': '密码',
  'login.submit': '登录',
  'login.busy': '正在登录…',
  'error.MISSING': '请输入用户名和密码',

  'error.AUTH_FAILED': '用户名或密码错误',
  'error.AUTH_LOCKED': '尝试次数过多，账号已暂时锁定，请稍后再试',
  'error.UNAUTHORIZED': '登录已过期，请重新登录',
  'error.NETWORK': '无法连接网关，请检查网络',
  'error.BAD_RESPONSE': '网关返回了无法识别的数据',
  'error.SITE_LOAD': '无法读取站点信息',

  'header.user': '{user}（{role}）',
  'header.logout': '退出登录',
  'feed.connecting': '正在连接…',
  'feed.open': '实时连接正常',
  'feed.reconnecting': '连接中断，正在重连…',
  'bridge.up': '硬件桥在线',
  'bridge.down': '硬件桥离线',

  'incidents.heading': '报警事件',
  'incidents.openCount': '未结 {n} 起',
  'incidents.empty': '当前没有报警',
  'incidents.waiting': '等待实时数据…',
  'incidents.acknowledge': '确认接警',
  'incidents.acknowledging': '确认中…',
  'incidents.unknownBox': '未知报警箱 {id}',

  'devices.heading': '报警箱',
  'devices.empty': '本站点没有配置报警箱',
  'devices.strobe': '爆闪灯',
  'devices.siren': '警号',
  'devices.on': '开',
  'devices.off': '关',
  'devices.silent': '静默',
  'devices.lastSeen': '最后通讯：{age}',
  'devices.never': '从未通讯',
  'devices.faults': '故障：{list}',
  'devices.reset': '复位',
  'devices.resetting': '复位中…',
  'devices.resetDone': '已复位',

  'priority.red': '红色',
  'priority.orange': '橙色',
  'priority.yellow': '黄色',

  'kind.panic': '一键报警',
  'kind.tamper': '防拆报警',
  'kind.fault': '设备故障',

  'state.new': '新报警',
  'state.acknowledged': '已确认',
  'state.dispatched': '已派警',
  'state.accepted': '巡逻已接单',
  'state.en_route': '巡逻在途',
  'state.on_scene': '已到场',
  'state.resolved': '已处置',
  'state.closed': '已关闭',
  'state.cancelled': '已取消',

  'status.normal': '正常',
  'status.alarm': '报警',
  'status.offline': '离线',
  'status.tamper': '防拆',
  'status.fault': '故障',

  'age.now': '刚刚',
  'age.seconds': '{n} 秒前',
  'age.minutes': '{n} 分钟前',
  'age.hours': '{n} 小时前',
  'age.days': '{n} 天前',

  'video.connecting': '正在连接视频…',
  'video.reconnecting': '视频中断，正在重连…',
  'video.cameraReconnecting': '摄像机断流，正在重连…',
  'video.stopped': '视频已停止',
  'video.refused.unauthorised': '登录已过期，无法观看视频',
  'video.refused.forbidden': '无权观看此摄像机',
  'video.refused.unknown-camera': '网关不认识此摄像机',
  'video.fallback': '兼容模式',

  'camera.state.connecting': '连接中',
  'camera.state.online': '在线',
  'camera.state.offline': '离线',
  'camera.state.auth-failed': '认证失败',
  'camera.state.unknown': '状态未知',
  'camera.kind.ptz': '球机',
  'camera.kind.fixed': '固定摄像机',
  'camera.ptz.idle': '待命',
  'camera.ptz.dwell': '停在预置位',
  'camera.ptz.scan': '巡视中',
  'camera.ptz.manual': '{by} 手动控制',

  'cameras.heading': '摄像机',
  'cameras.empty': '本站点没有配置摄像机',

  'alarm.heading': '报警联动画面',
  'alarm.close': '关闭画面',
  'alarm.closeTitle': '只关闭画面，不确认接警',
  'alarm.reopen': '查看报警画面（{n}）',
  'alarm.list': '全部报警（{n}）',
  'alarm.openedAt': '报警时间：{time}',
  'alarm.noCamera': '此报警箱未关联摄像机',
  'alarm.talk': '按住对讲',
  'alarm.talking': '正在对讲…',
  'alarm.talkError': '对讲失败',
  'alarm.listen': '收听现场',
  'alarm.mute': '静音',
  'alarm.ownCamera': '箱体摄像机',
  'alarm.dome': '联动球机',
  'alarm.snapshots': '抓拍图片',
  'alarm.noSnapshots': '暂无抓拍',
  'alarm.snapshotAlt': '{camera} 抓拍于 {time}',
  'nav.label': '页面',
  'nav.alarmAlert': '新报警 {n} 起 · 前往值班台',
  'nav.console': '值班台',
  'nav.patrol': '巡逻',
  'nav.ops': '运维',
  'nav.users': '用户',
  'shell.noPage': '此账号没有可以打开的页面，请联系管理员',

  'plan.heading': '校园平面图',
  'plan.label': '校园平面图：报警箱与摄像机的位置和状态',
  'plan.building': '楼栋',
  'plan.allBuildings': '全部楼栋',
  'plan.floor': '楼层',
  'plan.allFloors': '全部楼层',
  'plan.floorN': '{n} 层',
  'plan.legend': '图例',
  'plan.box': '报警箱',
  'plan.camera': '摄像机',

  'detail.heading': '事件处置',
  'detail.none': '在报警列表或平面图上选择一个事件',
  'detail.boxOnly': '{box}：当前没有未结事件',
  'detail.timeToAck': '接警用时',
  'detail.timeToArrive': '到场用时',
  'detail.target': '目标 {t}',
  'detail.running': '计时中',
  'detail.notReached': '—',
  'detail.over': '超时',
  'detail.team': '巡逻组',
  'detail.chooseTeam': '选择巡逻组',
  'detail.note': '备注',
  'detail.notePlaceholder': '处置情况（必填）',
  'detail.noteRequired': '请先填写备注',
  'detail.teamRequired': '请先选择巡逻组',
  'detail.reason': '取消原因',
  'detail.dispatchedTo': '已派：{team}',
  'detail.timeline': '处置记录',
  'detail.video': '视频与对讲',
  'detail.busy': '处理中…',
  'detail.stepTeam': '巡逻组：{team}',
  'detail.stepReason': '原因：{reason}',

  'action.acknowledge': '确认接警',
  'action.dispatch': '派警',
  'action.accept': '代为接单',
  'action.en-route': '标记在途',
  'action.on-scene': '标记到场',
  'action.resolve': '处置完毕',
  'action.close': '关闭事件',
  'action.cancel': '取消报警',

  'reason.false_alarm': '误报',
  'reason.drill': '演练',
  'reason.test': '测试',
  'reason.other': '其他',

  'step.opened': '报警',
  'step.re-triggered': '再次按下',
  'step.acknowledge': '确认接警',
  'step.dispatch': '派警',
  'step.accept': '巡逻接单',
  'step.en-route': '出发前往',
  'step.on-scene': '到达现场',
  'step.resolve': '处置完毕',
  'step.close': '关闭',
  'step.cancel': '取消',

  'error.INCIDENT_BAD_TRANSITION': '事件状态已经变化，请查看后再操作',
  'error.FORBIDDEN': '无权执行此操作',
  'error.VALIDATION_FAILED': '输入有误',
  'error.NOT_FOUND': '找不到此事件',

  'vp.heading': '视频巡查',
  'vp.show': '开启画面',
  'vp.hide': '关闭画面',
  'vp.layout': '画面布局',
  'vp.prev': '上一组',
  'vp.next': '下一组',
  'vp.page': '第 {n}/{m} 组',
  'vp.tourStart': '开始轮巡',
  'vp.tourStop': '停止轮巡',
  'vp.interval': '间隔（秒）',
  'vp.off': '画面已关闭，开启后可分屏查看摄像机或自动轮巡',
  'vp.empty': '本站点没有配置摄像机',
  'vp.stoppedByAlarm': '有新报警，轮巡已停止',
};

export type MessageKey = keyof typeof zh;

const en: Record<MessageKey, string> = {
  'app.title': 'Campus alarm · Duty desk',
  'lang.switch': '中文',
  'lang.switchTitle': '切换到中文',

  'login.heading': 'Duty sign-in',
  'login.username': 'Username',
  'login.password': 'Password',
  'login.submit': 'Sign in',
  'login.busy': 'Signing in…',
  'error.MISSING': 'Enter a username and a password',

  'error.AUTH_FAILED': 'Wrong username or password',
  'error.AUTH_LOCKED': 'Too many attempts: the account is locked for a while, try again later',
  'error.UNAUTHORIZED': 'Your session has expired, please sign in again',
  'error.NETWORK': 'Cannot reach the gateway, check the network',
  'error.BAD_RESPONSE': 'The gateway sent data the page does not understand',
  'error.SITE_LOAD': 'Could not load the site description',

  'header.user': '{user} ({role})',
  'header.logout': 'Sign out',
  'feed.connecting': 'Connecting…',
  'feed.open': 'Live',
  'feed.reconnecting': 'Connection lost, reconnecting…',
  'bridge.up': 'Hardware bridge online',
  'bridge.down': 'Hardware bridge offline',

  'incidents.heading': 'Incidents',
  'incidents.openCount': '{n} open',
  'incidents.empty': 'No alarms',
  'incidents.waiting': 'Waiting for live data…',
  'incidents.acknowledge': 'Acknowledge',
  'incidents.acknowledging': 'Acknowledging…',
  'incidents.unknownBox': 'Unknown box {id}',

  'devices.heading': 'Alarm boxes',
  'devices.empty': 'No alarm boxes are configured for this site',
  'devices.strobe': 'Strobe',
  'devices.siren': 'Siren',
  'devices.on': 'on',
  'devices.off': 'off',
  'devices.silent': 'silent',
  'devices.lastSeen': 'Last seen {age}',
  'devices.never': 'Never seen',
  'devices.faults': 'Faults: {list}',
  'devices.reset': 'Reset',
  'devices.resetting': 'Resetting…',
  'devices.resetDone': 'Reset done',

  'priority.red': 'Red',
  'priority.orange': 'Orange',
  'priority.yellow': 'Yellow',

  'kind.panic': 'Panic button',
  'kind.tamper': 'Tamper',
  'kind.fault': 'Device fault',

  'state.new': 'New',
  'state.acknowledged': 'Acknowledged',
  'state.dispatched': 'Dispatched',
  'state.accepted': 'Accepted',
  'state.en_route': 'On the way',
  'state.on_scene': 'On scene',
  'state.resolved': 'Resolved',
  'state.closed': 'Closed',
  'state.cancelled': 'Cancelled',

  'status.normal': 'Normal',
  'status.alarm': 'Alarm',
  'status.offline': 'Offline',
  'status.tamper': 'Tamper',
  'status.fault': 'Fault',

  'age.now': 'just now',
  'age.seconds': '{n} s ago',
  'age.minutes': '{n} min ago',
  'age.hours': '{n} h ago',
  'age.days': '{n} d ago',

  'video.connecting': 'Connecting video…',
  'video.reconnecting': 'Video lost, reconnecting…',
  'video.cameraReconnecting': 'Camera stream lost, reconnecting…',
  'video.stopped': 'Video stopped',
  'video.refused.unauthorised': 'Session expired: the video cannot be shown',
  'video.refused.forbidden': 'You may not view this camera',
  'video.refused.unknown-camera': 'The gateway does not know this camera',
  'video.fallback': 'compatibility mode',

  'camera.state.connecting': 'Connecting',
  'camera.state.online': 'Online',
  'camera.state.offline': 'Offline',
  'camera.state.auth-failed': 'Login refused',
  'camera.state.unknown': 'Unknown',
  'camera.kind.ptz': 'PTZ dome',
  'camera.kind.fixed': 'Fixed camera',
  'camera.ptz.idle': 'Idle',
  'camera.ptz.dwell': 'At preset',
  'camera.ptz.scan': 'Scanning',
  'camera.ptz.manual': 'Manual control by {by}',

  'cameras.heading': 'Cameras',
  'cameras.empty': 'No cameras are configured for this site',

  'alarm.heading': 'Alarm video',
  'alarm.close': 'Close',
  'alarm.closeTitle': 'Closes the panel only; the alarm is not acknowledged',
  'alarm.reopen': 'Show alarm video ({n})',
  'alarm.list': 'All alarms ({n})',
  'alarm.openedAt': 'Raised at {time}',
  'alarm.noCamera': 'No camera is linked to this box',
  'alarm.talk': 'Hold to talk',
  'alarm.talking': 'Talking…',
  'alarm.talkError': 'Intercom failed',
  'alarm.listen': 'Listen',
  'alarm.mute': 'Mute',
  'alarm.ownCamera': 'Box camera',
  'alarm.dome': 'Linked PTZ dome',
  'alarm.snapshots': 'Snapshots',
  'alarm.noSnapshots': 'No snapshots yet',
  'alarm.snapshotAlt': 'Snapshot from {camera} at {time}',
  'nav.label': 'Pages',
  'nav.alarmAlert': '{n} new alarm(s) · open the console',
  'nav.console': 'Console',
  'nav.patrol': 'Patrol',
  'nav.ops': 'Operations',
  'nav.users': 'Users',
  'shell.noPage': 'This account has no page to open; ask an administrator',

  'plan.heading': 'Site plan',
  'plan.label': 'Site plan: where the alarm boxes and cameras are, and their state',
  'plan.building': 'Building',
  'plan.allBuildings': 'All buildings',
  'plan.floor': 'Floor',
  'plan.allFloors': 'All floors',
  'plan.floorN': 'Floor {n}',
  'plan.legend': 'Legend',
  'plan.box': 'Alarm box',
  'plan.camera': 'Camera',

  'detail.heading': 'Incident',
  'detail.none': 'Select an incident in the queue or on the plan',
  'detail.boxOnly': '{box}: no open incident',
  'detail.timeToAck': 'Time to acknowledge',
  'detail.timeToArrive': 'Time to arrive',
  'detail.target': 'target {t}',
  'detail.running': 'running',
  'detail.notReached': '—',
  'detail.over': 'over target',
  'detail.team': 'Patrol team',
  'detail.chooseTeam': 'Choose a team',
  'detail.note': 'Note',
  'detail.notePlaceholder': 'What was found and done (required)',
  'detail.noteRequired': 'Enter a note first',
  'detail.teamRequired': 'Choose a team first',
  'detail.reason': 'Reason',
  'detail.dispatchedTo': 'Dispatched to {team}',
  'detail.timeline': 'Timeline',
  'detail.video': 'Video and intercom',
  'detail.busy': 'Working…',
  'detail.stepTeam': 'Team: {team}',
  'detail.stepReason': 'Reason: {reason}',

  'action.acknowledge': 'Acknowledge',
  'action.dispatch': 'Dispatch',
  'action.accept': 'Accept (on behalf)',
  'action.en-route': 'Mark on the way',
  'action.on-scene': 'Mark on scene',
  'action.resolve': 'Resolve',
  'action.close': 'Close',
  'action.cancel': 'Cancel alarm',

  'reason.false_alarm': 'False alarm',
  'reason.drill': 'Drill',
  'reason.test': 'Test',
  'reason.other': 'Other',

  'step.opened': 'Alarm raised',
  'step.re-triggered': 'Pressed again',
  'step.acknowledge': 'Acknowledged',
  'step.dispatch': 'Dispatched',
  'step.accept': 'Accepted',
  'step.en-route': 'On the way',
  'step.on-scene': 'On scene',
  'step.resolve': 'Resolved',
  'step.close': 'Closed',
  'step.cancel': 'Cancelled',

  'error.INCIDENT_BAD_TRANSITION': 'The incident has moved on; check its state and try again',
  'error.FORBIDDEN': 'You may not do this',
  'error.VALIDATION_FAILED': 'Invalid input',
  'error.NOT_FOUND': 'No such incident',

  'vp.heading': 'Video patrol',
  'vp.show': 'Show video',
  'vp.hide': 'Hide video',
  'vp.layout': 'Layout',
  'vp.prev': 'Previous',
  'vp.next': 'Next',
  'vp.page': 'Page {n} of {m}',
  'vp.tourStart': 'Start tour',
  'vp.tourStop': 'Stop tour',
  'vp.interval': 'Every (s)',
  'vp.off': 'Video is off: show it to watch cameras in a grid or run a tour',
  'vp.empty': 'No cameras are configured for this site',
  'vp.stoppedByAlarm': 'New alarm: tour stopped',
};

const TABLES: Record<Lang, Record<MessageKey, string>> = { zh, en };
const STORAGE_KEY = 'campus-alarm.lang';

let current: Lang = 'zh';
const listeners = new Set<(lang: Lang) => void>();

/** Reads the remembered language; Chinese unless the user chose English before. */
export function initLang(): Lang {
  try {
    if (localStorage.getItem(STORAGE_KEY) === 'en') current = 'en';
  } catch {
    // Storage can be off (private mode, locked-down kiosk): stay on the default.
  }
  document.documentElement.lang = current === 'zh' ? 'zh-CN' : 'en';
  return current;
}

export function getLang(): Lang {
  return current;
}

export function setLang(lang: Lang): void {
  if (lang === current) return;
  current = lang;
  try {
    localStorage.setItem(STORAGE_KEY, lang);
  } catch {
    // Not remembered, but still switched for this visit.
  }
  document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
  for (const fn of listeners) fn(lang);
}

export function onLangChange(fn: (lang: Lang) => void): () => void {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

export function t(key: MessageKey, vars?: Record<string, string | number>): string {
  const text = TABLES[current][key];
  if (!vars) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
}

/** Text the site configuration gives in both languages. */
export function local(text: LocalText): string {
  return text[current] || text.zh || text.en;
}

/** A known error code in the user's language; otherwise the gateway's own message. */
export function errorText(err: { code: string; message: string }): string {
  const key = `error.${err.code}`;
  return key in zh ? t(key as MessageKey) : err.message || err.code;
}

export const priorityLabel = (p: Priority): string => t(`priority.${p}`);
export const kindLabel = (k: IncidentKind): string => t(`kind.${k}`);
export const stateLabel = (s: IncidentState): string => t(`state.${s}`);
export const statusLabel = (s: DeviceStatus): string => t(`status.${s}`);
export const feedLabel = (s: FeedStatus): string => t(`feed.${s}`);
export const cameraStateLabel = (s: CameraState | 'unknown'): string => t(`camera.state.${s}`);
export const reasonLabel = (r: CancelReason): string => t(`reason.${r}`);
/** A step's name; a step this page does not know shows as the gateway wrote it. */
export const stepLabel = (action: string): string => {
  const key = `step.${action}`;
  return key in zh ? t(key as MessageKey) : action;
};
export const cameraKindLabel = (k: CameraKind): string => t(`camera.kind.${k}`);

export function ageText(seconds: number | null): string {
  if (seconds === null) return '—';
  if (seconds < 5) return t('age.now');
  if (seconds < 60) return t('age.seconds', { n: seconds });
  if (seconds < 3600) return t('age.minutes', { n: Math.floor(seconds / 60) });
  if (seconds < 86400) return t('age.hours', { n: Math.floor(seconds / 3600) });
  return t('age.days', { n: Math.floor(seconds / 86400) });
}

export function timeText(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleString(current === 'zh' ? 'zh-CN' : 'en-GB', { hour12: false });
}

/**
 * A typed string table of a view's own, in both languages, following the chosen language.
 * The English table must have every key of the Chinese one, so a missing string fails tsc.
 */
export function makeTranslator<K extends string>(zhTable: Record<K, string>, enTable: Record<K, string>) {
  return (key: K, vars?: Record<string, string | number>): string => {
    const text = (current === 'zh' ? zhTable : enTable)[key];
    if (!vars) return text;
    return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
  };
}
