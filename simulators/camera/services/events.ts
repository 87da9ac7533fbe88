// Event service (tev, ver10) and its pull-point subscription manager: motion and tamper topics.
import { child, esc, isoTime, parseDuration, text, textAt, type XmlNode } from '../soap-envelope.ts';
import { SoapFault } from '../soap-fault.ts';
import type { EventMessage } from '../event-broker.ts';
import { SUBSCRIPTION_PATH, type CameraContext, type Service, type ServiceCall } from './context.ts';
import { VIDEO_SOURCE_CONFIG_TOKEN, VIDEO_SOURCE_TOKEN } from './media.ts';

export const MOTION_TOPIC = 'tns1:RuleEngine/CellMotionDetector/Motion';
export const TAMPER_TOPIC = 'tns1:VideoSource/GlobalSceneChange/ImagingService';
const DEFAULT_TERMINATION_MS = 60_000;
const DIALECT = 'http://www.onvif.org/ver10/tev/topicExpression/ConcreteSet';

export function motionMessage(active: boolean, utcMs: number, operation: EventMessage['operation'] = 'Changed'): EventMessage {
  return {
    topic: MOTION_TOPIC,
    utcMs,
    operation,
    source: [
      ['VideoSourceConfigurationToken', VIDEO_SOURCE_CONFIG_TOKEN],
      ['VideoAnalyticsConfigurationToken', 'vac-1'],
      ['Rule', 'MyMotionDetectorRule'],
    ],
    data: [['IsMotion', String(active)]],
  };
}

export function tamperMessage(active: boolean, utcMs: number, operation: EventMessage['operation'] = 'Changed'): EventMessage {
  return { topic: TAMPER_TOPIC, utcMs, operation, source: [['Source', VIDEO_SOURCE_TOKEN]], data: [['State', String(active)]] };
}

function simpleItems(items: Array<[string, string]>): string {
  return items.map(([n, v]) => `<tt:SimpleItem Name="${esc(n)}" Value="${esc(v)}"/>`).join('');
}

export function notificationXml(m: EventMessage, subscriptionAddress: string): string {
  return (
    `<wsnt:NotificationMessage><wsnt:SubscriptionReference><wsa:Address>${esc(subscriptionAddress)}</wsa:Address></wsnt:SubscriptionReference>` +
    `<wsnt:Topic Dialect="${DIALECT}">${m.topic}</wsnt:Topic><wsnt:Message>` +
    `<tt:Message UtcTime="${isoTime(m.utcMs)}" PropertyOperation="${m.operation}"><tt:Source>${simpleItems(m.source)}</tt:Source>` +
    `<tt:Data>${simpleItems(m.data)}</tt:Data></tt:Message></wsnt:Message></wsnt:NotificationMessage>`
  );
}

/** Absolute dateTime or xs:duration, as CreatePullPointSubscription and Renew allow; relative to the camera clock. */
function terminationIn(node: XmlNode | undefined, cameraNowMs: number): number {
  const s = (text(node) ?? '').trim();
  if (!s) return DEFAULT_TERMINATION_MS;
  const dur = parseDuration(s);
  if (dur !== undefined) return dur;
  const abs = Date.parse(s);
  if (Number.isFinite(abs)) return abs - cameraNowMs;
  throw new SoapFault('INVALID_ARG', `termination time ${s}`);
}

export function subscriptionId(call: ServiceCall): string {
  if (call.path.startsWith(SUBSCRIPTION_PATH)) return call.path.slice(SUBSCRIPTION_PATH.length);
  // Some clients post to the service address and name the subscription in wsa:To.
  const to = textAt(call.req.header, 'To') ?? '';
  const i = to.indexOf(SUBSCRIPTION_PATH);
  if (i >= 0) return to.slice(i + SUBSCRIPTION_PATH.length);
  throw new SoapFault('NO_SUBSCRIPTION', 'no subscription address');
}

function address(cam: CameraContext, id: string): string {
  return `${cam.baseUrl()}${SUBSCRIPTION_PATH}${id}`;
}

/** Broker times are real time; the camera reports them on its own clock. */
function onCameraClock(cam: CameraContext, realMs: number): string {
  return isoTime(realMs + (cam.cameraNowMs() - cam.realNowMs()));
}

const TOPIC_SET =
  `<wstop:TopicSet><tns1:RuleEngine><CellMotionDetector><Motion wstop:topic="true"><tt:MessageDescription IsProperty="true">` +
  `<tt:Source><tt:SimpleItemDescription Name="VideoSourceConfigurationToken" Type="tt:ReferenceToken"/><tt:SimpleItemDescription Name="VideoAnalyticsConfigurationToken" Type="tt:ReferenceToken"/><tt:SimpleItemDescription Name="Rule" Type="xs:string"/></tt:Source>` +
  `<tt:Data><tt:SimpleItemDescription Name="IsMotion" Type="xs:boolean"/></tt:Data></tt:MessageDescription></Motion></CellMotionDetector></tns1:RuleEngine>` +
  `<tns1:VideoSource><GlobalSceneChange><ImagingService wstop:topic="true"><tt:MessageDescription IsProperty="true">` +
  `<tt:Source><tt:SimpleItemDescription Name="Source" Type="tt:ReferenceToken"/></tt:Source><tt:Data><tt:SimpleItemDescription Name="State" Type="xs:boolean"/></tt:Data>` +
  `</tt:MessageDescription></ImagingService></GlobalSceneChange></tns1:VideoSource></wstop:TopicSet>`;

export const eventsService: Service = {
  GetServiceCapabilities: () =>
    `<tev:GetServiceCapabilitiesResponse><tev:Capabilities WSSubscriptionPolicySupport="false" WSPullPointSupport="true" WSPausableSubscriptionManagerInterfaceSupport="false" MaxNotificationProducers="0" MaxPullPoints="64" PersistentNotificationStorage="false"/></tev:GetServiceCapabilitiesResponse>`,

  GetEventProperties: () =>
    `<tev:GetEventPropertiesResponse><tev:TopicNamespaceLocation>http://www.onvif.org/onvif/ver10/topics/topicns.xml</tev:TopicNamespaceLocation>` +
    `<wsnt:FixedTopicSet>true</wsnt:FixedTopicSet>${TOPIC_SET}<wsnt:TopicExpressionDialect>${DIALECT}</wsnt:TopicExpressionDialect>` +
    `<wsnt:TopicExpressionDialect>http://docs.oasis-open.org/wsnt/t-1/TopicExpression/Concrete</wsnt:TopicExpressionDialect>` +
    `<tev:MessageContentFilterDialect>http://www.onvif.org/ver10/tev/messageContentFilter/ItemFilter</tev:MessageContentFilterDialect>` +
    `<tev:MessageContentSchemaLocation>http://www.onvif.org/onvif/ver10/schema/onvif.xsd</tev:MessageContentSchemaLocation></tev:GetEventPropertiesResponse>`,

  CreatePullPointSubscription: ({ cam, req }) => {
    const camNow = cam.cameraNowMs();
    const inMs = terminationIn(child(req.body, 'InitialTerminationTime'), camNow);
    const now = cam.realNowMs();
    // Properties start with their current state, as ONVIF requires for IsProperty topics.
    const initial = [motionMessage(cam.motionActive, camNow, 'Initialized'), tamperMessage(cam.tamperActive, camNow, 'Initialized')];
    const sub = cam.broker.create(inMs, initial);
    return (
      `<tev:CreatePullPointSubscriptionResponse><tev:SubscriptionReference><wsa:Address>${address(cam, sub.id)}</wsa:Address></tev:SubscriptionReference>` +
      `<wsnt:CurrentTime>${onCameraClock(cam, now)}</wsnt:CurrentTime><wsnt:TerminationTime>${onCameraClock(cam, sub.terminationMs)}</wsnt:TerminationTime></tev:CreatePullPointSubscriptionResponse>`
    );
  },

  PullMessages: async (call) => {
    const { cam, req } = call;
    const id = subscriptionId(call);
    const timeout = parseDuration(textAt(req.body, 'Timeout')) ?? 10_000;
    const limit = Number.parseInt(textAt(req.body, 'MessageLimit') ?? '100', 10);
    const msgs = await cam.broker.pull(id, timeout, Number.isFinite(limit) ? limit : 100);
    // The subscription may have been dropped while we waited: the messages still go out this once.
    let termination: number;
    try {
      termination = cam.broker.terminationOf(id);
    } catch {
      termination = cam.realNowMs();
    }
    return (
      `<tev:PullMessagesResponse><tev:CurrentTime>${onCameraClock(cam, cam.realNowMs())}</tev:CurrentTime><tev:TerminationTime>${onCameraClock(cam, termination)}</tev:TerminationTime>` +
      msgs.map((m) => notificationXml(m, address(cam, id))).join('') +
      `</tev:PullMessagesResponse>`
    );
  },

  Renew: (call) => {
    const { cam, req } = call;
    const id = subscriptionId(call);
    const termination = cam.broker.renew(id, terminationIn(child(req.body, 'TerminationTime'), cam.cameraNowMs()));
    return `<wsnt:RenewResponse><wsnt:TerminationTime>${onCameraClock(cam, termination)}</wsnt:TerminationTime><wsnt:CurrentTime>${onCameraClock(cam, cam.realNowMs())}</wsnt:CurrentTime></wsnt:RenewResponse>`;
  },

  Unsubscribe: (call) => {
    call.cam.broker.unsubscribe(subscriptionId(call));
    return `<wsnt:UnsubscribeResponse/>`;
  },

};
