/**
 * Community-operations vocabulary that jieba's default dictionary splits apart (社群 + 裂变 …).
 * Users can add their own words on top (Segmenter constructor).
 */
export const USER_DICT: readonly string[] = [
  '私域', '私域流量', '私域运营', '公域', '社群运营', '社群裂变', '裂变', '拉新', '促活', '留存', '转化率', '复购', '复购率',
  '用户画像', '用户运营', '内容运营', '活动运营', '增长黑客', '种草', '拔草', '带货', '直播带货', '短视频', '视频号', '小红书',
  '抖音', '快手', '公众号', '小程序', '企业微信', '企微', '朋友圈', '朋友圈文案', '社群', '群主', '群公告', '群规', '打卡', '签到',
  '自我介绍', '新人', 'KOL', 'KOC', 'SOP', 'GMV', 'ROI', 'DAU', 'MAU', 'UV', 'PV', 'AI客服', 'ChatGPT', '大模型', '智能体',
  '618大促', '双11', '双十一', '会员体系', '积分商城', '分销', '团购', '社区团购', '引流', '获客', '客单价', '私信', '话术', '长期主义', '私域流量池', '社群运营官',
];
