/**
 * Word lists and sentence templates for the simulated communities. Plain data: the simulation in
 * model.ts picks from these with its seeded generator, so changing a list changes the samples.
 */

/** A sentence template: `w` and `x` are words of one topic, `n` a small number, `tip` a how-to phrase. */
import type { Person, Rng } from './people.js';

export type Tpl = (w: string, x: string, n: number, tip: string) => string;

export interface Topic {
  name: string;
  words: readonly string[];
  /** Seasonal peak (month 1-12, day) and width in days; topics without one get random waves. */
  peak?: readonly [month: number, day: number, width: number];
}

/** Everything that differs between the two kinds of group we simulate. */
export interface Flavor {
  topics: readonly Topic[];
  questions: readonly Tpl[];
  answers: readonly Tpl[];
  statements: readonly Tpl[];
  tips: readonly string[];
  articles: readonly Tpl[];
  headlines: readonly Tpl[];
  tasks: readonly string[];
  dailyTitle: string;
  campaign: string;
  campaignDays: number;
  /** Profile name of the announcer bot. */
  bot: string;
}

export const CITIES = [
  '北京', '上海', '广州', '深圳', '杭州', '成都', '武汉', '南京', '苏州', '西安', '长沙', '重庆', '厦门', '青岛',
  '郑州', '合肥', '宁波', '东莞', '佛山', '福州', '济南', '昆明', '南宁', '天津', '沈阳', '大连', '哈尔滨', '石家庄',
  '贵阳', '南昌', '温州', '义乌', '泉州', '无锡', '珠海', '海口', '兰州', '太原', '烟台', '绍兴',
] as const;

export const INDUSTRIES = [
  '美妆', '母婴', '教育培训', '餐饮', '服装', '茶叶', '家居', '健身', '宠物', '知识付费', '珠宝', '美业', '酒水', '生鲜',
  '保险', '房产', '医美', '农产品', '跨境电商', 'SaaS', '本地生活', '旅游', '汽车', '数码', '烘焙', '亲子', '心理咨询',
  '摄影', '家政', '零食',
] as const;

export const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁沈任姚卢';
export const GIVEN = '伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红鹏飞斌宇浩凯晨欣怡婷雪琳瑶佳颖思雨萱涵梓轩子墨诗琪嘉乐彤';
export const SOFT = '林雨晴悦然宁安月星辰夏秋冬暖甜糖果豆朵乐悠可米贝乔柚橙桃茜';
export const ENGLISH = [
  'Lily', 'Jason', 'Coco', 'Amy', 'Kevin', 'Tony', 'Vivian', 'Echo', 'Mia', 'Leo', 'Grace', 'Sunny', 'Cherry', 'Jack',
  'Anna', 'Bella', 'Cindy', 'David', 'Eric', 'Fiona', 'Helen', 'Ivy', 'Judy', 'Kelly', 'Linda', 'Mandy', 'Nancy', 'Oscar',
  'Peter', 'Queena', 'Rita', 'Sam', 'Tina', 'Vicky', 'Wendy', 'Yoyo', 'Zoe', 'Alan', 'Ben', 'Chris', 'Daisy', 'Emma',
] as const;
export const POETIC = [
  '静待花开', '岁月静好', '向阳而生', '一路向北', '云淡风轻', '知足常乐', '追风少年', '半夏', '南风知我意', '浅笑安然',
  '清风徐来', '星河滚烫', '人间值得', '慢慢来', '山海有归期', '一米阳光', '小确幸', '海绵宝宝', '快乐就好', '简单生活',
  '晴天', '夏天的风', '北方的雪', '江南烟雨', '梦想家', '行者无疆', '心若向阳', '不负韶华', '未来可期', '好运连连',
] as const;
export const PERSONA = ['运营', '私域', '增长', '社群', '文案', '主理人', '店长', '创始人', '操盘手', '老板娘'] as const;
export const EMOJI_SUFFIX = ['🌸', '🍀', '☀️', '🌙', '🌈', '🐱', '⭐', '🍊'] as const;
export const CARD_SUFFIX = ['｜可链接', '｜招代理', '(休假中)', '｜找合作', '·学习中', '(已转行)'] as const;

export const CHIT = [
  '哈哈哈', '确实', '学到了', '感谢分享！', '太真实了', '+1', '收藏了', '早上好☀️', '晚安', '👍👍', '666', '大佬牛啊',
  '说得对', 'mark一下', '有道理', '周末愉快', '今天群里好热闹', '同感', '先码住', '厉害了', '笑死', '受教了🙏',
  '这个思路不错', '哈哈，我也是', '蹲一个后续', '好的好的', '赞同楼上',
] as const;
export const STICKER_EMOJI = ['👍', '😂', '🙏', '👏', '🤝', '😄', '🔥', '💪'] as const;
export const FILES = ['私域运营SOP.pdf', '社群活动方案.docx', '用户画像模板.xlsx', '直播脚本.docx', '复盘表.xlsx', '课程大纲.pdf'] as const;

export const INTROS: readonly ((nick: string, city: string, ind: string, n: number) => string)[] = [
  (s, c, i) => `大家好，我是${s}，来自${c}，做${i}的，请多关照`,
  (s, c, i) => `大家好～我是${s}，坐标${c}，目前在做${i}，希望和大家多多交流🙏`,
  (s, c, i, n) => `新人报到！${c}的${s}，${i}从业${n}年，请多关照`,
  (s, c, i, n) => `【自我介绍】\n昵称：${s}\n城市：${c}\n行业：${i}\n从业：${n}年\n期待：向各位大佬学习私域打法`,
  (s, c, i) => `各位好，我是${s}，${c}人，做${i}的，刚进群，请多关照～`,
];
export const WELCOMES: readonly ((group: string) => [string, string])[] = [
  (g) => ['欢迎', `加入${g}！请先看群公告，按“城市-行业-昵称”修改群名片～`],
  () => ['欢迎新朋友', '，可以先做个自我介绍哦'],
  (g) => ['热烈欢迎', `进群🎉 ${g}禁止发广告，有问题随时@我`],
];
export const GREETS = ['欢迎欢迎👏', '欢迎新人', '欢迎！', '同城！握个手🤝', '欢迎加入，一起学习', '👏👏'] as const;
export const THANKS: readonly [string, string][] = [
  ['谢谢', '！很有帮助'],
  ['感谢', '，明白了'],
  ['', '懂了，回去试试'],
];
export const SPAM = [
  '加我V：{v}，免费领取私域运营全套资料',
  '兼职刷单，日结200+，有意私聊',
  '低价代运营小红书/抖音，包起号，加V{v}',
  '出售精准客户资源，需要的私我',
] as const;
export const ADMIN_AFTER_SPAM = ['已移出广告号，大家不要私加陌生人，谨防被骗！', '广告号已处理，重申一下群规：禁止发广告'];
export const CHECKIN_REMIND = '【打卡提醒】今天打卡了吗？回复“打卡 Day N”记录你的成长';
export const WEEKDAYS = '日一二三四五六';

/** The group card newcomers are asked to set: 城市-行业-昵称. */
export const cardOf = (p: Person): string => `${p.city}-${p.industry}-${p.nick}`;

/** A later card change: moved city, changed trade, or a status suffix. */
export function recard(r: Rng, p: Person): string {
  const k = r.int(3);
  if (k === 0) return `${r.pick(CITIES)}-${p.industry}-${p.nick}`;
  if (k === 1) return `${p.city}-${r.pick(INDUSTRIES)}-${p.nick}`;
  return cardOf(p) + r.pick(CARD_SUFFIX);
}

/** Each check-in regular keeps one style. */
export const checkinText = (style: number, n: number, task: string): string =>
  [`打卡 Day ${n}`, `#打卡# 今日完成：${task}`, '签到', `Day${n} 打卡✅ ${task}`, `【打卡】第${n}天\n${task}`][style]!;

const SLUG = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
/** The id part of an article link. */
export function slug(r: Rng): string {
  let s = '';
  for (let i = 0; i < 22; i++) s += r.char(SLUG);
  return s;
}

const q = (t: Tpl): Tpl => t;

export const OPS: Flavor = {
  topics: [
    { name: '私域流量', words: ['私域流量', '私域', '流量池', '公域引流', '私域运营'] },
    { name: '社群裂变', words: ['社群裂变', '裂变海报', '拼团', '老带新', '邀请有礼'] },
    { name: '直播带货', words: ['直播带货', '直播间', '主播', '场观', '投流'] },
    { name: '小红书', words: ['小红书', '笔记', '种草', '薯条', '爆文'] },
    { name: '视频号', words: ['视频号', '视频号直播', '短视频', '完播率'] },
    { name: '复购率', words: ['复购率', '复购', '会员体系', '积分商城', '老客'] },
    { name: '用户画像', words: ['用户画像', '标签体系', '用户分层', 'RFM模型'] },
    { name: '拉新', words: ['拉新', '获客成本', '引流品', '地推'] },
    { name: '转化率', words: ['转化率', '成交', '客单价', '转化漏斗', '私聊转化'] },
    { name: '朋友圈文案', words: ['朋友圈文案', '朋友圈', '文案', '人设', '发圈'] },
    { name: '企业微信', words: ['企业微信', '企微', 'SCRM', '群发助手', '客户朋友圈'] },
    { name: 'AI客服', words: ['AI客服', '智能客服', '自动回复', '大模型', '话术库'] },
    { name: '社群活跃', words: ['社群活跃', '群活跃度', '红包雨', '话题接龙'] },
    { name: '抖音', words: ['抖音', '抖音小店', '千川', '团购'] },
    { name: 'SOP', words: ['SOP', '标准化流程', '触达节奏', '话术'] },
    { name: '分销', words: ['分销', '团长', '佣金', '社区团购'] },
    { name: '618大促', words: ['618', '大促', '预售', '满减', '优惠券'], peak: [6, 10, 12] },
    { name: '双11', words: ['双11', '双十一', '大促', '预售', '尾款'], peak: [11, 5, 14] },
  ],
  questions: [
    q((w) => `请教一下，${w}怎么做比较好？`),
    q((w) => `有没有人做过${w}？求经验`),
    q((w) => `${w}一般多久能看到效果啊？`),
    q((w) => `大家${w}都用什么工具？`),
    q((w) => `求一份${w}的SOP，有大佬分享吗`),
    q((w, x) => `${w}和${x}哪个更值得投入？`),
    q((w) => `如何提高${w}？我们现在卡住了`),
    q((w) => `新手想入门${w}，有推荐的资料吗？`),
    q((w) => `${w}现在还有红利吗`),
    q((w) => `请问${w}被限流了怎么办`),
  ],
  answers: [
    (w, x) => `我们之前做${w}，核心是先把${x}做好`,
    (w) => `可以先小范围测一下${w}，数据好再放量`,
    (w) => `${w}关键看人设和内容，别一上来就硬广`,
    (w, x) => `这个我有经验，${w}前期一定要重视${x}`,
    (w) => `我整理过一份${w}的资料，晚点发群里`,
    (w, x) => `建议先看后台数据，${w}的问题多半出在${x}`,
    () => '同问，蹲一个答案',
    (w) => `我们的做法是每天固定时间做${w}，坚持三个月效果很明显`,
  ],
  statements: [
    (w) => `最近${w}好难做啊`,
    (w, _x, n) => `今天${w}数据还不错，比上周涨了${n}%`,
    (w, _x, _n, tip) => `分享一个${w}的小技巧：${tip}`,
    (w) => `${w}这块我们还在摸索`,
    (w) => `感觉今年${w}卷得厉害`,
    (w) => `刚开完会，老板又要求提升${w}😂`,
    (w) => `${w}真的是一个长期主义的事`,
    (w, x) => `我觉得${w}最重要的还是${x}`,
    (w, _x, n) => `上个月${w}做了${n}场活动，复盘下来收获挺大`,
  ],
  tips: [
    '每天固定时间发，培养用户习惯', '先送福利再谈转化', '把老客户拉进专属群', '用问卷做用户分层', '朋友圈三分干货七分生活',
    '新人进群48小时内一定要私聊一次', '活动前一天提前预热', '话术别太像机器人',
  ],
  articles: [
    (w) => `分享一篇文章：${w}的底层逻辑 https://mp.weixin.qq.com/s/`,
    (w) => `这篇讲${w}讲得挺透的 https://mp.weixin.qq.com/s/`,
  ],
  headlines: [
    (w, x) => `${w}新玩法上线，${x}迎来新机会`,
    (w) => `平台调整${w}规则，商家需关注`,
    (w, x) => `案例拆解：一家小店如何靠${w}做到${x}翻倍`,
    (w) => `${w}行业报告发布，增速放缓`,
  ],
  tasks: ['写了3条朋友圈文案', '复盘了本周社群数据', '整理了用户标签', '学习了一节直播课', '发了2篇小红书笔记', '私聊了10个老客户', '优化了欢迎语'],
  dailyTitle: '私域运营资讯',
  bot: '社群小秘书',
  campaignDays: 21,
  campaign: '【21天打卡挑战】今天开始！每天在群里发“打卡 Day N + 今日完成”即可，坚持21天送《私域运营手册》一本',
};

export const AI: Flavor = {
  topics: [
    { name: 'ChatGPT', words: ['ChatGPT', 'GPT-4o', 'o1'] },
    { name: 'DeepSeek', words: ['DeepSeek', 'DeepSeek-R1', 'DeepSeek-V3'] },
    { name: 'Kimi', words: ['Kimi', 'Kimi探索版'] },
    { name: '豆包', words: ['豆包', '扣子Coze', '即梦'] },
    { name: '通义千问', words: ['通义千问', 'Qwen', '通义万相'] },
    { name: 'AI绘画', words: ['Midjourney', 'Stable Diffusion', 'AI绘画', '即梦'] },
    { name: 'AI视频', words: ['可灵', 'Sora', '海螺AI', '数字人'] },
    { name: 'AI编程', words: ['Cursor', 'Copilot', 'AI编程', 'Windsurf'] },
    { name: '提示词', words: ['提示词', 'Prompt模板', '角色设定'] },
    { name: '智能体', words: ['智能体', 'Agent', '工作流'] },
    { name: '知识库', words: ['知识库', 'RAG', '本地部署', 'Ollama'] },
    { name: 'AI写作', words: ['AI写作', '文案生成', 'AI改写'] },
  ],
  questions: [
    q((w) => `${w}怎么用比较顺手？`),
    q((w) => `有人试过${w}吗？效果怎么样`),
    q((w, x) => `${w}和${x}哪个好用？`),
    q((w) => `求一个${w}的教程`),
    q((w) => `如何用${w}批量处理文档？`),
    q((w) => `${w}国内能直接用吗`),
  ],
  answers: [
    (w) => `我一直在用${w}，写文案够用了`,
    (w, x) => `${w}适合日常，复杂任务还是${x}强`,
    (w) => `${w}的关键是提示词要写清楚`,
    () => '同问',
    (w) => `B站搜一下${w}，教程很多`,
  ],
  statements: [
    (w) => `${w}又更新了，速度是真快`,
    (w) => `今天用${w}做了个小工具，省了半天时间`,
    (w, _x, _n, tip) => `分享一个${w}的用法：${tip}`,
    (w) => `感觉${w}最近变笨了😂`,
    (w, _x, n) => `${w}出图${n}张，挑了两张还行`,
  ],
  tips: ['先让它列大纲再写正文', '给足上下文和示例', '让它扮演审稿人自查', '长文档分段喂进去'],
  articles: [(w) => `${w}最新评测，值得一看 https://mp.weixin.qq.com/s/`],
  headlines: [(w) => `${w}发布新版本，能力再升级`, (w) => `${w}开放免费使用，用户量大涨`, (w, x) => `实测${w}和${x}：谁更好用？`],
  tasks: ['用AI写了一篇周报', '跑通了一个工作流', '学了一节提示词课'],
  dailyTitle: 'AI日报',
  bot: 'AI小助手',
  campaignDays: 7,
  campaign: '【AI打卡周】本周每天分享一个你用AI解决的小问题，发“打卡 Day N”即可',
};
