/**
 * One streaming writer per export format. Each turns simulation events into the exact text of
 * that format, writes through a buffered stream (waiting for 'drain' when the disk is slower than
 * the simulation), and tallies what it wrote so expected.json states what an importer must find.
 */
import { SHANGHAI_OFFSET_S, type Member, type MsgEvent, type SimEvent } from './model.js';
import { Clock, P2, Sink, Tally } from './output.js';

export type { FileExpectation } from './output.js';

export type FormatName = 'qq' | 'wechat' | 'telegram' | 'whatsapp';

export interface GroupInfo {
  name: string;
  admin: Member;
  tgChatId: number;
  wxTalkerId: number;
  chatroom: string;
}

const PLACEHOLDER_ZH: Record<MsgEvent['kind'], string> = { text: '', image: '[图片]', sticker: '[表情]', voice: '[语音]', video: '[视频]', file: '[文件]' };
const plain = (m: MsgEvent, sep: string): string => (m.mention ? `${m.pre}@${m.mentionName}${sep}${m.text}` : m.text);
const mix = (x: number): number => {
  x = Math.imul(x ^ (x >>> 16), 0x45d9f3b);
  x = Math.imul(x ^ (x >>> 16), 0x45d9f3b);
  return (x ^ (x >>> 16)) >>> 0;
};
const hex8 = (x: number): string => mix(x).toString(16).padStart(8, '0');

export abstract class ExportWriter {
  readonly tally = new Tally();
  protected readonly out: Sink;
  protected readonly c = new Clock();
  constructor(
    readonly path: string,
    readonly format: string,
    protected readonly g: GroupInfo,
  ) {
    this.out = new Sink(path);
  }
  /** Set while the stream asks the producer to wait. */
  get drain(): Promise<unknown> | null {
    return this.out.drain;
  }
  begin(): void {}
  abstract write(ev: SimEvent): void;
  protected footer(): void {}
  async end(): Promise<void> {
    this.footer();
    await this.out.close();
  }
}

/** QQ message manager .txt: BOM, CRLF, unpadded hours, system notices from 系统消息(1000000). */
export class QqWriter extends ExportWriter {
  private readonly sep = '='.repeat(64);
  override begin(): void {
    const s = this.sep;
    this.out.write(`\uFEFF消息记录（此消息记录为文本格式，不支持重新导入）\r\n\r\n${s}\r\n消息分组:我的群聊\r\n${s}\r\n消息对象:${this.g.name}\r\n${s}\r\n\r\n`);
  }
  write(ev: SimEvent): void {
    const c = this.c;
    c.set(ev.t);
    const head = `${c.y}-${c.mo}-${c.d} ${c.h}:${c.mi}:${c.s} `;
    if (ev.type === 'msg') {
      const p = ev.sender.p;
      const body = ev.kind === 'text' ? plain(ev, ' ') : PLACEHOLDER_ZH[ev.kind];
      this.out.write(`${head}${ev.sender === this.g.admin ? '【管理员】' : ''}${ev.name}(${p.qq})\r\n${body}\r\n\r\n`);
      this.tally.msg(p.qq, ev.t, ev, false);
      return;
    }
    let text: string;
    switch (ev.type) {
      case 'join':
        text = `${ev.name}加入本群。`;
        break;
      case 'invite':
        text = `${ev.actorName}邀请${ev.name}加入了本群。`;
        break;
      case 'leave':
        text = `${ev.name}退出了本群。`;
        break;
      case 'remove':
        text = `${ev.name}被管理员移出了本群。`;
        break;
      case 'recall':
        text = `${ev.name}撤回了一条消息`;
        break;
      default:
        return; // QQ's text export shows neither card changes nor pokes
    }
    this.out.write(`${head}系统消息(1000000)\r\n${text}\r\n\r\n`);
    this.tally.event(ev.type, ev.t);
  }
}

const csv = (s: string): string => (/[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
const xml = (s: string): string => (/[&<>"']/.test(s) ? s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;') : s);

/**
 * WeChatMsg (留痕) CSV v1 as Python's csv.writer writes it: utf-8-sig, CRLF, minimal quoting.
 * The exporter is the group owner, so their rows have IsSender=1 and owner notices say 你.
 * WeChat tells nobody when a member leaves, so leaves are not in this file.
 */
export class WechatWriter extends ExportWriter {
  private localId = 0;
  override begin(): void {
    this.out.write('\uFEFFlocalId,TalkerId,Type,SubType,IsSender,CreateTime,Status,StrContent,StrTime,Remark,NickName,Sender\r\n');
  }
  private row(t: number, type: number, sub: number, who: Member | null, content: string): void {
    const c = this.c;
    c.set(t);
    const me = who === this.g.admin;
    const tail = who ? `${csv(me ? who.p.nick : who.p.remark)},${csv(who.p.nick)},${who.p.wxid}` : ',,';
    this.out.write(
      `${++this.localId},${this.g.wxTalkerId},${type},${sub},${me ? 1 : 0},${t - SHANGHAI_OFFSET_S},${who ? (me ? 2 : 3) : 4},${csv(content)},${c.y}-${c.mo}-${c.d} ${P2[c.h]}:${c.mi}:${c.s},${tail}\r\n`,
    );
  }
  private svrid(seq: number): string {
    return String(1 + (mix(seq) % 8)) + String(mix(seq + 7) % 1e9).padStart(9, '0') + String(seq).padStart(9, '0');
  }
  private q(m: Member, name: string): string {
    return m === this.g.admin ? '你' : `"${name}"`;
  }
  write(ev: SimEvent): void {
    if (ev.type === 'msg') return this.message(ev);
    let text: string;
    switch (ev.type) {
      case 'join':
        text = `"${ev.name}"通过扫描你分享的二维码加入群聊`;
        break;
      case 'invite':
        text = `${this.q(ev.actor!, ev.actorName)}邀请"${ev.name}"加入了群聊`;
        break;
      case 'remove':
        text = `你将"${ev.name}"移出了群聊`;
        break;
      case 'recall':
        text = `${this.q(ev.subject, ev.name)}撤回了一条消息`;
        break;
      case 'poke':
        text = `"${ev.actorName}" 拍了拍 "${ev.name}"`;
        break;
      default:
        return;
    }
    this.row(ev.t, 10000, 0, null, text);
    this.tally.event(ev.type, ev.t);
  }
  private message(m: MsgEvent): void {
    const w = m.sender.p.wxid;
    const h = m.seq;
    const len = 1000 + (mix(h) % 900000);
    const md5 = m.kind === 'text' || m.kind === 'file' ? '' : hex8(h) + hex8(h + 1) + hex8(h + 2) + hex8(h + 3);
    let type = 1;
    let sub = 0;
    let content: string;
    switch (m.kind) {
      case 'text':
        content = plain(m, '\u2005');
        if (m.reply) {
          const r = m.reply;
          type = 49;
          sub = 57;
          content =
            `<msg><appmsg appid="" sdkver="0"><title>${xml(content)}</title><type>57</type><refermsg><type>1</type>` +
            `<svrid>${this.svrid(r.seq)}</svrid><fromusr>${this.g.chatroom}</fromusr><chatusr>${r.sender.p.wxid}</chatusr>` +
            `<displayname>${xml(r.name)}</displayname><content>${xml(plain(r, '\u2005'))}</content></refermsg></appmsg></msg>`;
        }
        break;
      case 'image':
        type = 3;
        content = `<?xml version="1.0"?><msg><img length="${len}" md5="${md5}" cdnthumbwidth="120" cdnthumbheight="160" /></msg>`;
        break;
      case 'voice':
        type = 34;
        content = `<msg><voicemsg endflag="1" length="${len >> 4}" voicelength="${1000 + (len % 50000)}" fromusername="${w}" /></msg>`;
        break;
      case 'video':
        type = 43;
        content = `<?xml version="1.0"?><msg><videomsg length="${len * 10}" playlength="${5 + (len % 55)}" md5="${md5}" fromusername="${w}" /></msg>`;
        break;
      case 'sticker':
        type = 47;
        content = `<msg><emoji fromusername="${w}" tousername="${this.g.chatroom}" type="2" md5="${md5}" len="${len}" /></msg>`;
        break;
      case 'file':
        type = 49;
        sub = 6;
        content = `<msg><appmsg appid="" sdkver="0"><title>${xml(m.text)}</title><type>6</type><appattach><totallen>${len}</totallen><fileext>${m.text.slice(m.text.lastIndexOf('.') + 1)}</fileext></appattach></appmsg></msg>`;
        break;
    }
    this.row(m.t, type, sub, m.sender, content);
    this.tally.msg(w, m.t, m, sub === 57);
  }
}

const NOT_INCLUDED = '"(File not included. Change data exporting settings to download.)"';
const J = JSON.stringify;

/** Telegram Desktop result.json for one chat, pretty-printed with one space per level as Desktop does. */
export class TelegramWriter extends ExportWriter {
  private n = 0;
  override begin(): void {
    this.out.write(`{\n "name": ${J(this.g.name)},\n "type": "private_supergroup",\n "id": ${this.g.tgChatId},\n "messages": [`);
  }
  protected override footer(): void {
    this.out.write(this.n ? '\n ]\n}\n' : ']\n}\n');
  }
  private head(ev: SimEvent, type: string): string {
    this.c.set(ev.t);
    const c = this.c;
    return `${this.n++ ? ',' : ''}\n  {\n   "id": ${ev.seq},\n   "type": "${type}",\n   "date": "${c.y}-${c.mo}-${c.d}T${P2[c.h]}:${c.mi}:${c.s}",\n   "date_unixtime": "${ev.t - SHANGHAI_OFFSET_S}",\n`;
  }
  write(ev: SimEvent): void {
    if (ev.type === 'msg') return this.message(ev);
    const who = (m: Member) => `   "actor": ${J(m.p.nick)},\n   "actor_id": "user${m.p.tgId}",\n`;
    const members = (m: Member) => `   "members": [\n    ${J(m.p.nick)}\n   ],\n`;
    let body: string;
    let kind: 'join' | 'invite' | 'leave' | 'remove' = 'join';
    switch (ev.type) {
      case 'join':
        body = `${who(ev.subject)}   "action": "join_group_by_link",\n   "inviter": "Group",\n`;
        break;
      case 'invite':
        kind = 'invite';
        body = `${who(ev.actor!)}   "action": "invite_members",\n${members(ev.subject)}`;
        break;
      case 'leave':
      case 'remove':
        kind = ev.type;
        body = `${who(ev.actor ?? ev.subject)}   "action": "remove_members",\n${members(ev.subject)}`;
        break;
      default:
        return; // deleted messages vanish from Telegram exports; no pokes; names are profile names
    }
    this.out.write(`${this.head(ev, 'service')}${body}   "text": "",\n   "text_entities": []\n  }`);
    this.tally.event(kind, ev.t);
  }
  private message(m: MsgEvent): void {
    const p = m.sender.p;
    let s = `${this.head(m, 'message')}   "from": ${J(p.nick)},\n   "from_id": "user${p.tgId}",\n`;
    if (m.reply) s += `   "reply_to_message_id": ${m.reply.seq},\n`;
    const len = mix(m.seq);
    switch (m.kind) {
      case 'image':
        s += `   "photo": ${NOT_INCLUDED},\n   "width": ${len & 1 ? 1280 : 960},\n   "height": ${len & 1 ? 960 : 1280},\n`;
        break;
      case 'sticker':
        s += `   "file": ${NOT_INCLUDED},\n   "thumbnail": ${NOT_INCLUDED},\n   "media_type": "sticker",\n   "sticker_emoji": ${J(m.text)},\n   "width": 512,\n   "height": 512,\n`;
        break;
      case 'voice':
        s += `   "file": ${NOT_INCLUDED},\n   "media_type": "voice_message",\n   "mime_type": "audio/ogg",\n   "duration_seconds": ${2 + (len % 50)},\n`;
        break;
      case 'video':
        s += `   "file": ${NOT_INCLUDED},\n   "thumbnail": ${NOT_INCLUDED},\n   "media_type": "video_file",\n   "mime_type": "video/mp4",\n   "duration_seconds": ${5 + (len % 55)},\n   "width": 1280,\n   "height": 720,\n`;
        break;
      case 'file':
        s += `   "file": ${NOT_INCLUDED},\n   "mime_type": "application/octet-stream",\n`;
        break;
    }
    const text = m.kind === 'text' ? m.text : '';
    if (m.mention) {
      const t = m.mention.p;
      const ent = t.tgUser
        ? `{\n     "type": "mention",\n     "text": ${J('@' + t.tgUser)}\n    }`
        : `{\n     "type": "mention_name",\n     "text": ${J(t.nick)},\n     "user_id": ${t.tgId}\n    }`;
      const plainEnt = (x: string) => `{\n     "type": "plain",\n     "text": ${J(x)}\n    }`;
      const rest = ' ' + text;
      s += `   "text": [\n${m.pre ? `    ${J(m.pre)},\n` : ''}    ${ent},\n    ${J(rest)}\n   ],\n`;
      s += `   "text_entities": [\n${m.pre ? `    ${plainEnt(m.pre)},\n` : ''}    ${ent},\n    ${plainEnt(rest)}\n   ]\n  }`;
    } else if (text) {
      const jt = J(text);
      s += `   "text": ${jt},\n   "text_entities": [\n    {\n     "type": "plain",\n     "text": ${jt}\n    }\n   ]\n  }`;
    } else s += '   "text": "",\n   "text_entities": []\n  }';
    this.out.write(s);
    this.tally.msg('user' + p.tgId, m.t, m, m.reply !== null);
  }
}

/** WhatsApp Android `_chat.txt` (en, 24 h, D/M/Y): names as saved contacts, else phone numbers. */
export class WhatsappWriter extends ExportWriter {
  private started = false;
  private head(t: number): string {
    const c = this.c;
    c.set(t);
    return `${c.d}/${c.mo}/${c.y}, ${P2[c.h]}:${c.mi} - `;
  }
  write(ev: SimEvent): void {
    const minute = ev.t - (ev.t % 60);
    if (!this.started) {
      this.started = true;
      this.out.write(`${this.head(ev.t)}Messages and calls are end-to-end encrypted. No one outside of this chat, not even WhatsApp, can read or listen to them. Tap to learn more.\n`);
      this.tally.event('other', minute);
      // Android exports made by the group's creator name the group in this notice.
      const admin = this.g.admin.p;
      this.out.write(`${this.head(ev.t)}${admin.waSaved ? admin.nick : admin.phone} created group "${this.g.name}"\n`);
      this.tally.event('create', minute);
    }
    const name = (m: Member) => (m.p.waSaved ? m.p.nick : m.p.phone);
    if (ev.type === 'msg') {
      const body = ev.kind !== 'text' ? '<Media omitted>' : ev.mention ? `${ev.pre}@${ev.mention.p.phoneDigits} ${ev.text}` : ev.text;
      this.out.write(`${this.head(ev.t)}${name(ev.sender)}: ${body}\n`);
      this.tally.msg(name(ev.sender), minute, ev, false);
      return;
    }
    let text: string;
    switch (ev.type) {
      case 'join':
        text = `${name(ev.subject)} joined using this group's invite link`;
        break;
      case 'invite':
        text = `${name(ev.actor!)} added ${name(ev.subject)}`;
        break;
      case 'leave':
        text = `${name(ev.subject)} left`;
        break;
      case 'remove':
        text = `${name(ev.actor!)} removed ${name(ev.subject)}`;
        break;
      case 'recall':
        text = `${name(ev.subject)}: This message was deleted`;
        break;
      default:
        return;
    }
    this.out.write(`${this.head(ev.t)}${text}\n`);
    this.tally.event(ev.type, minute);
  }
}

export function makeWriter(format: FormatName, path: string, g: GroupInfo): ExportWriter {
  switch (format) {
    case 'qq':
      return new QqWriter(path, 'qq-txt', g);
    case 'wechat':
      return new WechatWriter(path, 'wechat-csv', g);
    case 'telegram':
      return new TelegramWriter(path, 'telegram-json', g);
    case 'whatsapp':
      return new WhatsappWriter(path, 'whatsapp-txt', g);
  }
}
