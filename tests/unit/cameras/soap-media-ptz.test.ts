import { describe, expect, it } from 'vitest';
import { parseMediaUri, parseProfiles } from '../../../gateway/cameras/soap/media.ts';
import { gotoPresetBody, parsePresets, parsePtzNodes, parsePtzStatus } from '../../../gateway/cameras/soap/ptz.ts';
import { parseXml } from '../../../gateway/cameras/soap/xml.ts';

const env = (body: string) => `<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:tt="x" xmlns:trt="y" xmlns:tptz="z"><s:Body>${body}</s:Body></s:Envelope>`;

describe('media and PTZ answers', () => {
  it('reads Media1 profiles and which one carries PTZ', () => {
    const doc = parseXml(
      env(
        `<trt:GetProfilesResponse><trt:Profiles token="main" fixed="true"><tt:Name>Main</tt:Name><tt:VideoEncoderConfiguration token="e"><tt:Encoding>H264</tt:Encoding><tt:Resolution><tt:Width>1920</tt:Width><tt:Height>1080</tt:Height></tt:Resolution></tt:VideoEncoderConfiguration><tt:PTZConfiguration token="p"/></trt:Profiles><trt:Profiles token="sub"><tt:Name>Sub</tt:Name></trt:Profiles><trt:Profiles><tt:Name>no token</tt:Name></trt:Profiles></trt:GetProfilesResponse>`,
      ),
    );
    expect(parseProfiles(doc)).toEqual([
      { token: 'main', name: 'Main', ptz: true, encoding: 'H264', width: 1920, height: 1080 },
      { token: 'sub', name: 'Sub', ptz: false, encoding: undefined, width: undefined, height: undefined },
    ]);
  });

  it('reads stream URIs from Media1 and Media2 answers and refuses other schemes', () => {
    expect(parseMediaUri(parseXml(env('<trt:GetStreamUriResponse><trt:MediaUri><tt:Uri>rtsp://10.0.0.5/main?a=1&amp;b=2</tt:Uri></trt:MediaUri></trt:GetStreamUriResponse>')))).toBe('rtsp://10.0.0.5/main?a=1&b=2');
    expect(parseMediaUri(parseXml(env('<tr2:GetSnapshotUriResponse xmlns:tr2="q"><tr2:Uri>http://10.0.0.5/snap.jpg</tr2:Uri></tr2:GetSnapshotUriResponse>')))).toBe('http://10.0.0.5/snap.jpg');
    expect(parseMediaUri(parseXml(env('<trt:GetStreamUriResponse><trt:MediaUri><tt:Uri>file:///etc/passwd</tt:Uri></trt:MediaUri></trt:GetStreamUriResponse>')))).toBeNull();
  });

  it('reads presets, node limits (preset tours) and status', () => {
    expect(parsePresets(parseXml(env('<tptz:GetPresetsResponse><tptz:Preset token="1"><tt:Name>Gate</tt:Name></tptz:Preset><tptz:Preset token="2"/></tptz:GetPresetsResponse>')))).toEqual([
      { token: '1', name: 'Gate' },
      { token: '2', name: '' },
    ]);
    const nodes = parsePtzNodes(parseXml(env('<tptz:GetNodesResponse><tptz:PTZNode token="n"><tt:MaximumNumberOfPresets>128</tt:MaximumNumberOfPresets><tt:HomeSupported>true</tt:HomeSupported><tt:Extension><tt:SupportedPresetTour><tt:MaximumNumberOfPresetTours>4</tt:MaximumNumberOfPresetTours></tt:SupportedPresetTour></tt:Extension></tptz:PTZNode></tptz:GetNodesResponse>')));
    expect(nodes).toEqual([{ token: 'n', maxPresets: 128, maxPresetTours: 4, homeSupported: true }]);
    const st = parsePtzStatus(parseXml(env('<tptz:GetStatusResponse><tptz:PTZStatus><tt:Position><tt:PanTilt x="0.5" y="-0.25"/><tt:Zoom x="0.1"/></tt:Position><tt:MoveStatus><tt:PanTilt>MOVING</tt:PanTilt><tt:Zoom>IDLE</tt:Zoom></tt:MoveStatus></tptz:PTZStatus></tptz:GetStatusResponse>')));
    expect(st).toMatchObject({ pan: 0.5, tilt: -0.25, zoom: 0.1, moving: true });
  });

  it('escapes tokens in GotoPreset', () => {
    expect(gotoPresetBody('main', '1</PresetToken><x>').body).toContain('<PresetToken>1&lt;/PresetToken&gt;&lt;x&gt;</PresetToken>');
  });
});
