import { PLACEHOLDER_WORDS } from './placeholders.js';

/**
 * Words that carry no topic: Chinese function words and chat fillers, English stopwords, and the
 * placeholder/system words of every export format (placeholders.ts), so `[图片]` or
 * `image omitted` can never surface as a topic.
 */
const ZH = `的 了 是 我 你 他 她 它 们 我们 你们 他们 她们 咱们 大家 自己 这 那 这个 那个 这些 那些 这样 那样 这么 那么 这里 那里
哪 哪个 哪些 什么 怎么 怎样 怎么样 如何 为什么 为啥 啥 谁 多少 几 吗 呢 吧 啊 呀 哦 噢 嗯 哈 哈哈 哈哈哈 哈哈哈哈 嘿 嘿嘿 呵呵 嘻嘻 额 呃 诶 哎 唉 喔 哇
和 与 及 以及 或 或者 还是 而 而且 并 并且 但 但是 可是 不过 然后 所以 因为 如果 虽然 即使 只要 只是 就是 还有 另外 其实 比如 例如
在 从 到 对 向 给 把 被 让 比 跟 同 为 为了 关于 按照 通过 由于 根据 之 于 以 及其 的话 等 等等 之类
也 都 就 还 又 再 才 很 太 更 最 非常 特别 比较 挺 真 真的 好像 可能 应该 必须 一定 已经 曾经 正在 马上 一直 一起 一下 一些 一点 有点 有些
不 没 没有 不是 不要 不会 不能 别 无 非 是否 是不是 有没有 能不能 会不会 要不要
有 要 会 能 可以 想 觉得 知道 看 看看 说 讲 做 去 来 上 下 里 中 后 前 时 时候 现在 今天 明天 昨天 刚才 刚刚 以后 之前 之后 然後
个 些 点 次 下 种 样 位 条 件 块 天 年 月 日 号
请多关照 多多关照 关照 好 好的 好吧 对的 是的 可以的 嗯嗯 ok 收到 谢谢 感谢 多谢 辛苦 不客气 没事 没问题 一样 这种 那种 其他 别的 每个 所有 各位 大佬 老师 群友 亲 宝 哈喽 你好 您好 早 早上好 晚安
每天 不错 一份 上周 下周 本周 这周 这块 那块 今年 去年 明年 感觉 最近 厉害 确实 有人 一波 一起 以后 之前 东西 有点 真是 直接 需要 还有 开始 时候 这次 上次 下次
啦 嘛 咯 哟 罢了 而已 着 过 得 地 所 给我 我的 你的 他的 她的 我们的 一个 两个 这边 那边 一样的 东西 事情 问题 情况 方面 部分 时间`;

const EN = `a an the and or but if then else of to in on at by for with from as is are was were be been being am do does did done have has had
i me my we our you your he him his she her it its they them their this that these those there here what which who whom whose when where why how
not no yes so too very just only also than more most some any all each every both few many much can could will would shall should may might must
day ok okay lol haha hahaha hi hello hey thanks thank please yeah yep nope im it's i'm don't dont can't cant get got go going like know think one two`;

const split = (s: string): string[] => s.split(/\s+/).filter(Boolean);

export const STOPWORDS: readonly string[] = [...new Set([...split(ZH), ...split(EN), ...PLACEHOLDER_WORDS.map((w) => w.toLowerCase())])];
