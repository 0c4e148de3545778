//! General patterns for names no gazetteer lists: organisations found by
//! their head word (…医院, …中学, …集团, …指挥部, …局), programmes in quotation
//! marks in an assistance context, people introduced by a title, and named
//! events (…推介会, …联席会议, …文化节).
//!
//! Each recogniser works on the characters of one paragraph and returns
//! candidates with code-point offsets relative to that paragraph. Nothing
//! here names an entity of a particular article; the word lists are Chinese
//! grammar and the vocabulary of the genre.

use std::sync::LazyLock;

use super::chars::{ends_with, starts_with};
use super::words::Words;
use crate::facts::EntityKind;
use crate::source::article::is_cjk;

static ORG_HEAD_WORDS: LazyLock<Words> =
    LazyLock::new(|| Words::new(&ORG_HEADS.iter().map(|(h, _)| *h).collect::<Vec<_>>()));
static EVENT_HEAD_WORDS: LazyLock<Words> = LazyLock::new(|| Words::new(EVENT_HEADS));
static LEFT_STOP_WORDS: LazyLock<Words> = LazyLock::new(|| Words::new(LEFT_STOPS));
static EVENT_LEFT_STOP_WORDS: LazyLock<Words> = LazyLock::new(|| Words::new(EVENT_LEFT_STOPS));
/// The titles and the descriptors, which introduce a name alike.
static TITLE_WORDS: LazyLock<Words> = LazyLock::new(|| Words::new(&[TITLES, DESCRIPTORS].concat()));
static SPEECH_WORDS: LazyLock<Words> = LazyLock::new(|| Words::new(SPEECH));

/// A name found by a pattern, in paragraph code points.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Candidate {
    /// First code point.
    pub start: usize,
    /// One past the last code point.
    pub end: usize,
    /// The name as written.
    pub name: String,
    /// Its class.
    pub kind: EntityKind,
}

/// Head words of organisation names, longest first within each kind.
const ORG_HEADS: &[(&str, EntityKind)] = &[
    ("卫生服务中心", EntityKind::Hospital),
    ("妇幼保健院", EntityKind::Hospital),
    ("卫生院", EntityKind::Hospital),
    ("医院", EntityKind::Hospital),
    ("实训基地", EntityKind::School),
    ("培训基地", EntityKind::School),
    ("教科院", EntityKind::School),
    ("研究院", EntityKind::School),
    ("幼儿园", EntityKind::School),
    ("分校", EntityKind::School),
    ("中学", EntityKind::School),
    ("小学", EntityKind::School),
    ("完小", EntityKind::School),
    ("学校", EntityKind::School),
    ("大学", EntityKind::School),
    ("附中", EntityKind::School),
    ("学院", EntityKind::School),
    ("有限公司", EntityKind::Company),
    ("公司", EntityKind::Company),
    ("集团", EntityKind::Company),
    ("合作社", EntityKind::Company),
    ("区委区政府", EntityKind::GovernmentBody),
    ("县委县政府", EntityKind::GovernmentBody),
    ("州委州政府", EntityKind::GovernmentBody),
    ("市委市政府", EntityKind::GovernmentBody),
    ("疾控中心", EntityKind::GovernmentBody),
    ("党群服务中心", EntityKind::GovernmentBody),
    ("政务服务中心", EntityKind::GovernmentBody),
    ("人大常委会", EntityKind::GovernmentBody),
    ("党支部", EntityKind::GovernmentBody),
    ("统战部", EntityKind::GovernmentBody),
    ("组织部", EntityKind::GovernmentBody),
    ("宣传部", EntityKind::GovernmentBody),
    ("领导小组", EntityKind::GovernmentBody),
    ("工作队", EntityKind::GovernmentBody),
    ("工作组", EntityKind::GovernmentBody),
    ("联络组", EntityKind::GovernmentBody),
    ("管理组", EntityKind::GovernmentBody),
    ("行署", EntityKind::GovernmentBody),
    ("人大", EntityKind::GovernmentBody),
    ("政协", EntityKind::GovernmentBody),
    ("厅", EntityKind::GovernmentBody),
    ("指挥部", EntityKind::GovernmentBody),
    ("管委会", EntityKind::GovernmentBody),
    ("委员会", EntityKind::GovernmentBody),
    ("办公室", EntityKind::GovernmentBody),
    ("政府", EntityKind::GovernmentBody),
    ("局", EntityKind::GovernmentBody),
    ("委", EntityKind::GovernmentBody),
    ("办", EntityKind::GovernmentBody),
];

/// Heads of event names.
const EVENT_HEADS: &[&str] = &[
    "推介会",
    "培训会",
    "动员会",
    "推进会",
    "成就展",
    "表彰会",
    "联席会议",
    "联席会",
    "展销周",
    "品鉴会",
    "发布会",
    "交易会",
    "展览会",
    "招商会",
    "洽会",
    "峰会",
    "年会",
    "仪式",
    "座谈会",
    "洽谈会",
    "交流会",
    "研讨会",
    "对接会",
    "博览会",
    "展销会",
    "文化节",
    "旅游节",
    "艺术节",
    "运动会",
    "签约仪式",
    "启动仪式",
    "大会",
    "会议",
    "论坛",
    "活动",
];

/// Words that end a name on its left: verbs, prepositions, conjunctions,
/// pronouns and particles that do not occur inside organisation names.
const LEFT_STOPS: &[&str] = &[
    "帮扶", "扶持", "帮助", "支持", "援建", "受援", "推动", "联系", "开展", "配合", "发挥", "完成",
    "成立", "建立", "担任", "携手", "牵手", "组织", "带领", "举办", "召开", "前往", "来到", "回到",
    "返回", "通过", "来自", "包括", "其中", "以及", "我们", "他们", "你们", "这些", "这家", "这所",
    "该", "在", "的", "了", "由", "向", "把", "被", "为", "从", "是", "将", "同", "及", "与", "和",
    "等", "让", "给", "到", "于", "赴", "率", "并", "也", "还", "都", "均", "各", "本", "这", "那",
    "其", "挂职", "任", "至", "跟", "对", "所", "家", "个", "名", "批", "即", "如", "像", "而",
    "或", "又", "已", "就", "共", "给予", "加入", "进入", "走进", "依托", "借助", "协调", "投入",
    "安排", "拨付", "实施", "落实", "打造", "搭建", "推进", "加快", "成为", "提升", "提高", "加强",
    "促进", "培养", "覆盖", "新建", "改造", "扩建", "建设", "进驻", "入驻", "获得", "捐赠", "看望",
    "慰问", "考察", "调研", "参观", "走访", "签订", "签署", "分别", "建起", "建成", "现有", "拥有",
    "共有", "既有", "还有", "也有", "设有", "都有", "没有", "只有", "有了", "的有", "中有", "里有",
    "当天", "当日", "代表", "同时", "随后", "此后", "目前", "如今", "今年", "去年", "期间", "以及",
    "主持", "出席", "陪同", "据", "受", "送进", "住进", "前往", "察看",
];

/// Name parts that say nothing about which organisation is meant
/// (县医院, 人民医院, 定点医院): a name made only of these is not a name.
const GENERIC_PARTS: &[&str] = &[
    "人民",
    "县",
    "州",
    "市",
    "区",
    "乡",
    "镇",
    "村",
    "乡镇",
    "县级",
    "州级",
    "市级",
    "省级",
    "三级",
    "二级",
    "一级",
    "当地",
    "本地",
    "基层",
    "定点",
    "全州",
    "全县",
    "全省",
    "全市",
    "各级",
    "民族",
    "公立",
    "民营",
    "乡村",
    "重点",
    "相关",
    "有关",
    "部分",
    "一些",
    "多家",
    "多所",
    "新",
    "老",
    "大",
    "小",
    "中",
    "高级",
    "寄宿制",
    "中心",
    "综合",
    "专科",
    "职业",
    "技术",
    "附属",
    "龙头",
    "骨干",
    "国有",
    "各类",
    "企业",
    "头部",
    "援建",
    "医疗",
    "教育",
    "卫生",
    "党",
    "党政",
    "职能",
    "有关部门",
    "主管",
    "行业",
    "政府",
    "工作",
    "高中",
    "初中",
    "支援",
    "受援",
    "帮扶",
    "结对",
];

fn is_name_char(c: char) -> bool {
    is_cjk(c) || c.is_ascii_alphanumeric() || c == '（' || c == '）'
}

/// Where a name ending at `head_start` begins: walk left over name
/// characters until a stop word, punctuation, or `max` characters.
pub fn left_boundary(chars: &[char], head_start: usize, max: usize) -> usize {
    let mut i = head_start;
    while i > 0 && head_start - i < max {
        let c = chars[i - 1];
        if !is_name_char(c) || c.is_ascii_digit() {
            break;
        }
        // 家 counts firms (三家医院) but is part of 国家 (三江源国家公园管理局);
        // 对 is a preposition but starts 对口 (对口支援和经济合作领导小组).
        let in_guojia = c == '家' && i >= 2 && chars[i - 2] == '国';
        let in_duikou = c == '对' && chars.get(i) == Some(&'口');
        // 批 counts groups (一批企业) but 第九批 numbers a team in its name
        // (广东省第九批援藏工作队).
        if c == '批' {
            let mut k = i - 1;
            while k > 0 && "一二三四五六七八九十0123456789".contains(chars[k - 1]) {
                k -= 1;
            }
            if k + 1 < i && k > 0 && chars[k - 1] == '第' && head_start - (k - 1) <= max {
                // Only inside a name: a leading 第五批 (第五批援青干部联络组)
                // counts the members, not the body.
                let after_batch = i;
                let before = left_boundary(chars, k - 1, max - (head_start - (k - 1)));
                return if before < k - 1 { before } else { after_batch };
            }
        }
        if !in_guojia && !in_duikou && LEFT_STOP_WORDS.any_ending_at(chars, i) {
            break;
        }
        i -= 1;
    }
    i
}

/// Whether `part` is only words of an assistance body's remit (支援帮扶,
/// 对口支援和经济合作), which may stand inside its name.
pub fn is_remit(part: &str) -> bool {
    const REMIT: &[&str] = &[
        "对口", "支援", "帮扶", "扶贫", "协作", "合作", "交流", "经济", "和", "援",
    ];
    // (made_of takes a one-character part for generic; 援 alone is remit, 的 is not.)
    !part.is_empty()
        && (if part.chars().count() == 1 {
            REMIT.contains(&part)
        } else {
            made_of(part, REMIT)
        })
}

/// Whether a name part (the name without its head) is only generic words.
pub fn is_generic(part: &str) -> bool {
    made_of(part, GENERIC_PARTS)
}

/// Words that do not make an event name (本次会议, 一系列活动).
const EVENT_GENERIC: &[&str] = &[
    "相关",
    "各类",
    "各项",
    "这次",
    "本次",
    "此次",
    "一系列",
    "系列",
    "多场",
    "多次",
    "专题",
    "工作",
    "一次",
    "首次",
];

/// Whether `part` is shorter than two characters or made only of `words`.
fn made_of(part: &str, words: &[&str]) -> bool {
    if part.chars().count() < 2 {
        return true;
    }
    let mut rest = part;
    'outer: while !rest.is_empty() {
        let mut best = 0;
        for g in words {
            if rest.starts_with(g) && g.len() > best {
                best = g.len();
            }
        }
        if best == 0 {
            break 'outer;
        }
        rest = &rest[best..];
    }
    rest.is_empty()
}

/// Organisations named by a head word.
pub fn organizations(chars: &[char]) -> Vec<Candidate> {
    let mut out: Vec<Candidate> = Vec::new();
    let mut pos = 0;
    while pos < chars.len() {
        let Some(h) = ORG_HEAD_WORDS.first_at(chars, pos) else {
            pos += 1;
            continue;
        };
        let (head, kind) = &ORG_HEADS[h];
        let head_len = ORG_HEAD_WORDS.len_of(h);
        let head_end = pos + head_len;
        // 党委 is a role's organ (医院党委副书记), not a body of its own; 编委,
        // 常委, 委员 likewise. A head that starts a title (局长) is the title's.
        // A township's or a village's party committee is a body of its own
        // (阿柔乡党委, 徐行镇党委).
        let township =
            pos >= 2 && chars[pos - 1] == '党' && matches!(chars[pos - 2], '乡' | '镇' | '村');
        let party_organ = *head == "委"
            && !township
            && ((pos > 0 && matches!(chars[pos - 1], '党' | '常' | '编' | '委'))
                || chars.get(head_end) == Some(&'员'));
        // (A head longer than the title is the head: 指挥部, not 指挥.)
        let starts_title = TITLE_WORDS
            .longest_at(chars, pos)
            .is_some_and(|t| TITLE_WORDS.len_of(t) > head_len);
        // 举办, 创办, 承办 … are verbs, not offices.
        let verb_ban = *head == "办"
            && pos > 0
            && matches!(
                chars[pos - 1],
                '举' | '创'
                    | '承'
                    | '主'
                    | '协'
                    | '开'
                    | '兴'
                    | '合'
                    | '筹'
                    | '督'
                    | '查'
                    | '代'
                    | '包'
                    | '难'
                    | '好'
                    | '要'
            );
        // 高中学校 is a 学校, not a 中学; but in 中学校长 the 校 starts a title.
        let inside_word = *head == "中学"
            && chars.get(head_end) == Some(&'校')
            && !TITLE_WORDS.any_at(chars, head_end);
        if party_organ || starts_title || inside_word || verb_ban {
            pos += 1;
            continue;
        }
        // Commands and leading groups carry long names (北京市支援合作工作领导小组青海玉树指挥部).
        let max = if matches!(*head, "指挥部" | "领导小组" | "办公室") {
            26
        } else {
            18
        };
        let mut start = left_boundary(chars, pos, max);
        // A name may contain 和 between two parts of a body's remit
        // (农牧和科技局) when the part before starts the clause with a place.
        if start >= 1 && chars[start - 1] == '和' && *kind == EntityKind::GovernmentBody {
            let before = left_boundary(chars, start - 1, 10);
            let left: String = chars[before..start - 1].iter().collect();
            if before < start - 1
                && !ORG_HEADS.iter().any(|(h, _)| left.ends_with(h))
                && !is_generic(&left)
            {
                start = before;
            }
        }
        // 首家精神专科医院, 一所寄宿制学校: a description after a numeral and a
        // measure word, not a name.
        let described = start >= 2
            && matches!(chars[start - 1], '家' | '所' | '个' | '座')
            && "一二三四五六七八九十两首每该这那几多".contains(chars[start - 2]);
        let part: String = chars[start..pos].iter().collect();
        // A team is named by whom it is sent to help or by its batch
        // (广东省援藏工作队, 第十批…工作队); 丰台区工作组 only describes.
        let unnamed_team =
            matches!(*head, "工作队" | "工作组") && !part.contains('援') && !part.contains('批');
        // 州人民医院, 市疾控中心: a short form the extractor resolves in context.
        let short_form =
            part.chars().count() >= 2 && (part.starts_with('州') || part.starts_with('市'));
        if (!is_generic(&part) || short_form) && !described && !unnamed_team {
            let name: String = chars[start..head_end].iter().collect();
            out.push(Candidate {
                start,
                end: head_end,
                name,
                kind: *kind,
            });
        }
        pos = head_end;
    }
    out
}

/// Heads of the bodies a level of government has (州委, 县政府, 市人大).
const BODY_HEADS: &[&str] = &[
    "委",
    "政府",
    "人民政府",
    "人大",
    "人大常委会",
    "政协",
    "纪委",
    "委员会",
    "委区政府",
    "委县政府",
    "委州政府",
    "委市政府",
    "委旗政府",
    "委办",
    "政府办",
    "统战部",
    "组织部",
    "宣传部",
    "行署",
];

/// Whether `name` is a level of government and one of its bodies with no
/// place named (州委, 县政府, 市委市政府, 州人大): the extractor resolves
/// it to the area the text places it in.
pub fn is_generic_body(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some('州' | '市' | '县' | '区' | '旗' | '盟'))
        && BODY_HEADS.contains(&chars.as_str())
}

/// 我市, 我县, 我州: the writer's own area, resolved by the extractor.
pub fn self_references(chars: &[char]) -> Vec<Candidate> {
    let mut out = Vec::new();
    for i in 0..chars.len().saturating_sub(1) {
        if chars[i] != '我' {
            continue;
        }
        let kind = match chars[i + 1] {
            '市' | '县' | '区' | '旗' => EntityKind::County,
            '州' | '盟' => EntityKind::Prefecture,
            _ => continue,
        };
        // 我市场 is no 我市.
        if chars
            .get(i + 2)
            .is_some_and(|&c| "场民级委政属内外".contains(c))
        {
            continue;
        }
        out.push(Candidate {
            start: i + 1,
            end: i + 2,
            name: chars[i + 1].to_string(),
            kind,
        });
    }
    out
}

/// Generic bodies: a level of government and a body's head, standing alone
/// (州委副书记, 在县政府常务会议室, 市委市政府有关负责人).
pub fn generic_bodies(chars: &[char]) -> Vec<Candidate> {
    static HEADS: LazyLock<Words> = LazyLock::new(|| Words::new(BODY_HEADS));
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if !"州市县区旗盟".contains(c)
            || (i > 0 && is_cjk(chars[i - 1]) && !LEFT_STOP_WORDS.any_ending_at(chars, i))
        {
            i += 1;
            continue;
        }
        let Some(h) = HEADS.longest_at(chars, i + 1) else {
            i += 1;
            continue;
        };
        let mut end = i + 1 + HEADS.len_of(h);
        // 县委县政府, 市委市政府: the party committee and the government as one.
        if HEADS.word(h) == "委"
            && chars.get(end) == Some(&c)
            && starts_with(chars, end + 1, "政府")
        {
            end += 3;
        } else if HEADS.word(h) == "委"
            && chars.get(end) == Some(&c)
            && chars.get(end + 1) == Some(&'人')
            && starts_with(chars, end + 1, "人民政府")
        {
            end += 5;
        }
        // 委员 is a member, 委托 a verb; 政府办公室 goes on as a longer name.
        let next = chars.get(end).copied();
        if HEADS.word(h) == "委" && next.is_some_and(|n| "员托屈婉会".contains(n)) {
            i += 1;
            continue;
        }
        if next.is_some_and(|n| "办部厅局院所".contains(n)) && !TITLE_WORDS.any_at(chars, end)
        {
            i += 1;
            continue;
        }
        out.push(Candidate {
            start: i,
            end,
            name: chars[i..end].iter().collect(),
            kind: EntityKind::GovernmentBody,
        });
        i = end;
    }
    out
}

/// School abbreviations: a place, a numeral and 高/中/小 (玉树二高, 北京四中).
pub fn school_abbreviations(chars: &[char], place_ends: &[usize]) -> Vec<Candidate> {
    let mut out = Vec::new();
    for &p in place_ends {
        let mut i = p;
        while i < chars.len() && "一二三四五六七八九十".contains(chars[i]) && i - p < 3 {
            i += 1;
        }
        if i == p || i >= chars.len() || !matches!(chars[i], '高' | '中' | '小') {
            continue;
        }
        // 二中学 is a full name handled by the head rule; 一中心 is not a school.
        if chars
            .get(i + 1)
            .is_some_and(|&c| matches!(c, '学' | '心' | '级' | '等'))
        {
            continue;
        }
        let start = (0..p)
            .rev()
            .take_while(|&k| is_cjk(chars[k]))
            .last()
            .unwrap_or(p);
        let start = start.max(left_boundary(chars, p, 6));
        out.push(Candidate {
            start,
            end: i + 1,
            name: chars[start..=i].iter().collect(),
            kind: EntityKind::School,
        });
    }
    out
}

/// Words after a closing quotation mark that make the quoted text a programme.
/// `(suffix, keep)`: when `keep`, the suffix is part of the name (“组团式”帮扶).
const PROGRAM_SUFFIXES: &[(&str, bool)] = &[
    ("帮扶模式", false),
    ("帮扶项目", false),
    ("模式", false),
    ("帮扶", true),
    ("区域公用品牌", true),
    ("公益项目", false),
    ("学习公益项目", false),
    ("英语学习公益项目", false),
    ("项目", false),
    ("工程", false),
    ("计划", false),
    ("行动", false),
    ("机制", false),
    ("架构", false),
    ("体系", false),
    ("培养", false),
    ("实施进程", false),
    ("品牌", true),
    ("取得", false),
    ("建设", false),
    ("工作法", false),
];

/// Words before an opening quotation mark that introduce a programme.
const PROGRAM_VERBS: &[&str] = &[
    "开启", "推进", "实施", "开展", "落实", "加快", "搭建", "推动", "打造", "培育", "启动", "创新",
    "探索", "推行", "拟定", "制定", "推广", "建立", "构建", "深化",
];

/// Quoted names that end like a plan are programmes wherever they stand.
const PROGRAM_ENDINGS: &[&str] = &[
    "方案", "计划", "工程", "行动", "模式", "机制", "中心", "项目",
];

/// Heads that a modifier of two to six characters may join to a quoted
/// name (“小组团”柔性支援模式, “四张清单+指引”招商机制).
const DESCRIBED_HEADS: &[&str] = &["模式", "机制", "品牌", "交流"];

/// Where a described head ends, when `at` starts a modifier of its own
/// (not 帮扶 alone, which is the programme's kind) and then such a head.
fn described_head(chars: &[char], at: usize) -> Option<usize> {
    for len in 2..=6 {
        let k = at + len;
        if k > chars.len() || !chars[at..k].iter().all(|&c| is_cjk(c)) {
            return None;
        }
        if let Some(h) = DESCRIBED_HEADS.iter().find(|h| starts_with(chars, k, h)) {
            let modifier: String = chars[at..k].iter().collect();
            if modifier == "帮扶" || modifier.contains('的') {
                return None;
            }
            return Some(k + h.chars().count());
        }
    }
    None
}

/// The (opening, closing) positions of each pair of `open` and `close`
/// marks with at most `max` characters between, left to right, a pair
/// resuming the search after its closing mark.
fn enclosed(chars: &[char], open: char, close: char, max: usize) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i] != open {
            i += 1;
            continue;
        }
        match chars[i + 1..].iter().take(max).position(|&c| c == close) {
            Some(len) => {
                out.push((i, i + 1 + len));
                i += len + 2;
            }
            None => i += 1,
        }
    }
    out
}

/// Plans named as titles (《天津市·甘肃省“十四五”深化东西部协作规划》).
pub fn titled_plans(chars: &[char]) -> Vec<Candidate> {
    const ENDINGS: &[&str] = &["规划", "方案", "计划", "纲要"];
    let mut out = Vec::new();
    for (open, close) in enclosed(chars, '《', '》', 40) {
        let inner: String = chars[open + 1..close].iter().collect();
        if ENDINGS.iter().any(|e| inner.ends_with(e)) && inner.chars().count() >= 4 {
            out.push(Candidate {
                start: open + 1,
                end: close,
                name: inner,
                kind: EntityKind::Program,
            });
        }
    }
    out
}

/// Programmes named in quotation marks in an assistance context.
pub fn programs(chars: &[char]) -> Vec<Candidate> {
    let mut out = Vec::new();
    for (open, close) in enclosed(chars, '“', '”', 20) {
        let inner: String = chars[open + 1..close].iter().collect();
        let i = close + 1;
        let inner_len = inner.chars().count();
        // Lists, sentences and single characters are rhetoric, not names.
        if inner_len < 2 || inner.contains(['、', '，', ',', '。', '！', '？', '：']) {
            continue;
        }
        // Contrast rhetoric: “输血”向“造血”转变.
        if starts_with(chars, close + 1, "向")
            || starts_with(chars, close + 1, "转向")
            || starts_with(chars, close + 1, "不是")
        {
            continue;
        }
        if i > 2 + inner_len && chars[..i - inner_len - 2].ends_with(&['向']) {
            continue;
        }
        // “小组团”柔性支援模式, “津甘护工”劳务品牌: a modifier of its own
        // between the quote and the head makes one name with it.
        if !inner.contains('+')
            && let Some(end) = described_head(chars, close + 1)
        {
            out.push(Candidate {
                start: i - inner_len - 2,
                end,
                name: chars[i - inner_len - 2..end].iter().collect(),
                kind: EntityKind::Program,
            });
            continue;
        }
        // “津甘护工”“津甘技工”等劳务品牌: names listed before 等 and a head.
        let listed = {
            let mut k = close + 1;
            while chars.get(k) == Some(&'“') {
                match chars[k + 1..].iter().take(20).position(|&c| c == '”') {
                    Some(n) => k = k + 2 + n,
                    None => break,
                }
            }
            chars.get(k) == Some(&'等')
                && (k + 1..(k + 8).min(chars.len())).any(|j| {
                    PROGRAM_SUFFIXES
                        .iter()
                        .any(|(s, _)| ends_with(chars, j + 1, s) && s.chars().count() >= 2)
                })
        };
        if listed && !inner.contains('+') {
            out.push(Candidate {
                start: i - inner_len - 2,
                end: close + 1,
                name: inner.clone(),
                kind: EntityKind::Program,
            });
            continue;
        }
        let suffix = PROGRAM_SUFFIXES
            .iter()
            .filter(|(s, _)| starts_with(chars, close + 1, s))
            .max_by_key(|(s, _)| s.len());
        let verb_before = PROGRAM_VERBS
            .iter()
            .any(|v| ends_with(chars, i - inner_len - 2, v));
        let self_named = PROGRAM_ENDINGS.iter().any(|e| inner.ends_with(e));
        let followed_by_quote = chars.get(close + 1) == Some(&'“');
        let (name, end) = match suffix {
            Some((s, true)) => {
                let end = close + 1 + s.chars().count();
                (
                    chars[i - inner_len - 2..end].iter().collect::<String>(),
                    end,
                )
            }
            Some((_, false)) => (inner.clone(), close + 1),
            None if self_named || (verb_before && followed_by_quote) => (inner.clone(), close + 1),
            None => continue,
        };
        let looks_like_model = inner.contains('+') || inner.chars().any(|c| c.is_ascii_digit());
        if suffix.is_none() && !self_named && !looks_like_model {
            continue;
        }
        out.push(Candidate {
            start: i - inner_len - 2,
            end,
            name,
            kind: EntityKind::Program,
        });
    }
    out
}

/// Words that end an event name on its left. Narrower than for
/// organisations: event names hold verbs of their own (对口支援工作联席会议).
const EVENT_LEFT_STOPS: &[&str] = &[
    "召开", "举办", "举行", "参加", "出席", "启动", "开幕", "闭幕", "在", "的", "了", "于", "是",
    "与", "和", "及", "为", "由", "同期", "期间", "通过", "借助", "利用", "赴", "开展", "组织",
    "来到", "前往", "走进", "参观", "观看", "参与",
];

/// The head word an event's name ends with (座谈会 of …交流对接座谈会).
pub fn event_head_of(name: &str) -> Option<&'static str> {
    EVENT_HEADS
        .iter()
        .filter(|h| name.ends_with(*h) && h.chars().count() >= 2)
        .max_by_key(|h| h.len())
        .copied()
        .filter(|h| !["活动", "会议", "大会", "仪式"].contains(h))
}

/// Named events: a name ending in an event head, with a sound left boundary.
pub fn events(chars: &[char]) -> Vec<Candidate> {
    events_around(chars, &[])
}

/// Where a run of ASCII digits that ends at `end` begins.
fn digits_start(chars: &[char], end: usize) -> usize {
    let mut k = end;
    while k > 0 && chars[k - 1].is_ascii_digit() {
        k -= 1;
    }
    k
}

/// Named events, knowing where places are named (`places`: code-point
/// spans in `chars`), so that a name may join two places with 与 or 和
/// (A区与B县…联席会). Names keep their ordinals and anniversaries (第26届…,
/// 成立70周年…), quoted parts and 暨-joined halves.
pub fn events_around(chars: &[char], places: &[(usize, usize)]) -> Vec<Candidate> {
    const MAX: usize = 40;
    let mut out: Vec<Candidate> = Vec::new();
    let mut pos = 0;
    while pos < chars.len() {
        let Some(h) = EVENT_HEAD_WORDS.longest_at(chars, pos) else {
            pos += 1;
            continue;
        };
        let head = &EVENT_HEAD_WORDS.word(h);
        let head_end = pos + EVENT_HEAD_WORDS.len_of(h);
        // 会议室, 会议厅: a room, not a happening.
        if chars
            .get(head_end)
            .is_some_and(|&c| "室厅馆楼场址".contains(c))
        {
            pos = head_end;
            continue;
        }
        // Event names may join places with a dash (北京—玉树) and quote a date (“4·14”).
        let mut start = pos;
        while start > 0 && pos - start < MAX {
            let c = chars[start - 1];
            // “祖国聚宝盆·神奇柴达木”…推介会: a quote that opens the name.
            let opens_name = c == '“' && chars[start..pos].contains(&'”');
            let joiner = opens_name
                || (matches!(c, '—' | '-' | '·' | '“' | '”')
                    && start >= 2
                    && is_cjk(chars[start - 2]))
                || (c == '）' && chars[..start - 1].iter().rev().take(8).any(|&x| x == '（'))
                || (c == '（' && chars[start..pos].contains(&'）'));
            // 与 between two places (丰台区与治多县…座谈会).
            let places_joined = matches!(c, '与' | '和' | '同')
                && places.iter().any(|&(_, e)| e == start - 1)
                && places.iter().any(|&(s, _)| s == start);
            if places_joined {
                start -= 1;
                continue;
            }
            // An ordinal or an anniversary: 第26届, 70周年, 23届.
            if c.is_ascii_digit() {
                let d = digits_start(chars, start);
                let ordinal = d > 0 && chars[d - 1] == '第';
                let counted = matches!(chars.get(start), Some('届' | '周' | '次' | '期'));
                if counted && (ordinal || chars.get(start) == Some(&'周')) {
                    start = if ordinal { d - 1 } else { d };
                    continue;
                }
                break;
            }
            // 刚到高原时稍一活动: 时 ends a clause of time (but 新时代…活动).
            let when = c == '时' && chars.get(start) != Some(&'代');
            if !(is_cjk(c) || joiner) || when || EVENT_LEFT_STOP_WORDS.any_ending_at(chars, start) {
                break;
            }
            start -= 1;
        }
        // 2024年北京·玉树文化旅游推介会: the 年 ends the date before the name.
        if start > 0
            && start < pos
            && matches!(chars[start], '年' | '月' | '日' | '号')
            && chars[start - 1].is_ascii_digit()
        {
            start += 1;
        }
        // 19届青洽会: a count of editions cut from its number names the series.
        if matches!(chars.get(start), Some('届' | '周' | '次' | '期')) {
            pos = head_end;
            continue;
        }
        let part: String = chars[start..pos].iter().collect();
        let min_part = if ["活动", "会议", "大会", "仪式"].contains(head) {
            4
        } else {
            2
        };
        if part.chars().count() >= min_part
            && !made_of(&part, EVENT_GENERIC)
            && !part.contains('等')
            && (!part.starts_with('“') || part.contains('”'))
        {
            out.push(Candidate {
                start,
                end: head_end,
                name: chars[start..head_end].iter().collect(),
                kind: EntityKind::Event,
            });
        }
        pos = head_end;
    }
    out
}

/// Named disasters: a place, a quoted date and 地震 (玉树“4·14”地震).
pub fn named_disasters(chars: &[char], places: &[(usize, usize)]) -> Vec<Candidate> {
    let mut out = Vec::new();
    for &(place_start, p) in places {
        if chars.get(p) != Some(&'“') {
            continue;
        }
        let Some(len) = chars[p + 1..].iter().take(8).position(|&c| c == '”') else {
            continue;
        };
        let close = p + 1 + len;
        let inner: String = chars[p + 1..close].iter().collect();
        let dated = inner.contains('·') && inner.chars().all(|c| c.is_ascii_digit() || c == '·');
        let head = ["地震", "洪灾", "泥石流", "雪灾"]
            .iter()
            .find(|h| starts_with(chars, close + 1, h));
        if let (true, Some(h)) = (dated, head) {
            // The name starts with its place, and a higher one written
            // before it (青海玉树“4·14”地震), not with the words before
            // (同年发生玉树…).
            let mut start = place_start;
            while let Some(&(higher, _)) = places.iter().find(|&&(_, e)| e == start) {
                start = higher;
            }
            let end = close + 1 + h.chars().count();
            out.push(Candidate {
                start,
                end,
                name: chars[start..end].iter().collect(),
                kind: EntityKind::Event,
            });
        }
    }
    out
}

/// Job titles, longest first (with [`DESCRIPTORS`], which introduce a name
/// the same way). A title is what stands between an
/// organisation and a person's name (党委书记 in 医院党委书记布尼玛).
pub const TITLES: &[&str] = &[
    "代区长",
    "代县长",
    "代市长",
    "代州长",
    "代旗长",
    "旗长",
    "副旗长",
    "盟长",
    "副盟长",
    "常务副县长",
    "常务副市长",
    "常务副州长",
    "常务副区长",
    "常务副主任",
    "常务副部长",
    "专职副主任",
    "党组成员",
    "党组副书记",
    "常务副书记",
    "常务副旗长",
    "常委",
    "副秘书长",
    "一级巡视员",
    "二级巡视员",
    "巡视员",
    "副巡视员",
    "传承人",
    "青年企业家",
    "企业家",
    "委员",
    "放牧员",
    "管护员",
    "学生",
    "乡长",
    "副乡长",
    "镇长",
    "副镇长",
    "村主任",
    "会长",
    "副会长",
    "厂长",
    "经理",
    "总裁",
    "党委副书记",
    "党委书记",
    "党委委员",
    "党组书记",
    "常务副指挥",
    "副总指挥",
    "总指挥",
    "副指挥长",
    "指挥长",
    "副指挥",
    "指挥",
    "项目部部长",
    "副部长",
    "部长",
    "副局长",
    "局长",
    "副主任",
    "主任",
    "副院长",
    "院长",
    "副校长",
    "校长",
    "副书记",
    "书记",
    "副县长",
    "县长",
    "副州长",
    "州长",
    "副市长",
    "市长",
    "副区长",
    "区长",
    "总经理",
    "副总经理",
    "董事长",
    "负责人",
    "工会主席",
    "副主席",
    "主席",
    "队长",
    "副队长",
    "领队",
    "医疗专家领队",
    "主任医师",
    "副主任医师",
    "主治医师",
    "住院医师",
    "医师",
    "主治医生",
    "专家",
    "护士",
    "教授",
    "副教授",
    "研究员",
    "工程师",
    "少年",
    "姑娘",
    "小伙",
    "老人",
    "女孩",
    "男孩",
    "医生",
    "护士长",
    "教师",
    "老师",
    "牧民",
    "村民",
    "村支书",
    "第一书记",
    "社长",
    "理事长",
    "秘书长",
    "处长",
    "科长",
    "站长",
    "所长",
    "馆长",
    "园长",
    "组长",
    "团长",
];

/// Titles that introduce a person without giving a post (援青干部王长远,
/// 海淀区干部赵可): the person is named, no position is stated.
pub const DESCRIPTORS: &[&str] = &[
    "援青干部",
    "援藏干部",
    "援疆干部",
    "援青医生",
    "援藏医生",
    "援疆医生",
    "援青教师",
    "援藏教师",
    "援疆教师",
    "干部",
];

/// The longest job title that starts at `pos`.
pub fn title_at(chars: &[char], pos: usize) -> Option<&'static str> {
    TITLE_WORDS
        .longest_at(chars, pos)
        .map(|i| TITLE_WORDS.word(i))
}

/// The longest job title that ends just before `end`.
pub fn title_ending_at(chars: &[char], end: usize) -> Option<&'static str> {
    TITLE_WORDS
        .longest_ending_at(chars, end)
        .map(|i| TITLE_WORDS.word(i))
}

/// Words that end a quoted or reported statement after a name (布尼玛说).
pub const SPEECH: &[&str] = &[
    "介绍说",
    "介绍",
    "表示",
    "认为",
    "看来",
    "回忆",
    "说",
    "指出",
    "坦言",
    "告诉",
    "称",
    "谈到",
    "强调",
    "自称",
];

/// Characters that never stand inside a name (的 了 在 …).
const NOT_IN_NAME_CHARS: &str = "的了在是和与及等说率们着过把被将从向为也都还就到来赴去曾";

/// Characters of `NOT_IN_NAME_CHARS` that given names use inside a name.
const INNER_NAME_CHARS: &str = "都为向从";

/// Whether `name` looks like a personal name: a family name and one or two
/// characters (王力军, 欧阳明), a Tibetan, Mongolian or Uyghur name made of
/// the elements of `data/reference/names.toml` (尼玛才仁, 欧要才仁,
/// 牙尔木合买提), or two such parts joined by · (奇·达楞太). No word that
/// never occurs in a name (任教, 当天, 群众) may be inside it.
pub fn is_person_name(name: &str) -> bool {
    let lists = super::names::lists();
    // This runs for every sentence's first characters: no allocation.
    let mut buf = ['\0'; 9];
    let mut n = 0;
    let mut dot = None;
    let len = name.chars().count();
    for c in name.chars() {
        if n == buf.len() {
            return false;
        }
        // 都, 为, 向 and 从 are adverbs and prepositions after a name (王明都
        // 参加) but given names inside one (王都伟, 李向东).
        let inner = n > 0 && n + 1 < len && INNER_NAME_CHARS.contains(c);
        if c == '·' && dot.is_none() && n > 0 {
            dot = Some(n);
        } else if !is_cjk(c) || (NOT_IN_NAME_CHARS.contains(c) && !inner) {
            return false;
        }
        buf[n] = c;
        n += 1;
    }
    let chars = &buf[..n];
    if let Some(d) = dot {
        let (left, right) = (&chars[..d], &chars[d + 1..]);
        return !left.is_empty()
            && left.len() <= 3
            && (2..=5).contains(&right.len())
            && !lists.has_non_name_word(right)
            && (lists.has_element(right) || lists.has_element(left));
    }
    if !(2..=6).contains(&n) || lists.has_non_name_word(chars) {
        return false;
    }
    if n <= 4 && lists.has_element(chars) {
        return true;
    }
    if n >= 5 {
        return lists.covered_by_elements(chars, 0);
    }
    let han = n <= 3 && lists.is_surname(chars[0]);
    let double = n >= 3 && lists.starts_with_double_surname(chars);
    han || double
}

/// A person introduced by a title: the title's span and the name's.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PersonCandidate {
    /// Start of the title (or titles, 党委委员、副指挥).
    pub titles_start: usize,
    /// The titles, split on 、.
    pub titles: Vec<(usize, usize)>,
    /// The name's span.
    pub name_start: usize,
    /// One past the name.
    pub name_end: usize,
}

/// Where a personal name that starts at `start` ends: 2 to 6 ideographs
/// (or two parts joined by ·) followed by an anchor, the longest that is
/// a name.
fn name_at(chars: &[char], start: usize) -> Option<usize> {
    let mut found = None;
    for len in (2..=7).rev() {
        let name_end = start + len;
        if name_end > chars.len()
            || !chars[start..name_end]
                .iter()
                .enumerate()
                .all(|(k, &c)| is_cjk(c) || (c == '·' && k > 0 && k + 1 < len))
            || (len == 7 && !chars[start..name_end].contains(&'·'))
        {
            continue;
        }
        let anchored = name_end == chars.len()
            || SPEECH_WORDS.any_at(chars, name_end)
            || [
                "等", "率", "与", "共同", "老师", "来", "到", "在", "是", "也", "则", "说", "出席",
                "主持", "带队", "一行", "陪同", "致辞", "讲话", "宣布", "会见", "看望", "慰问",
                "调研", "考察", "同志", "带领", "曾", "此前", "参加", "签字", "发言", "专程",
                "前往", "赴", "走访", "深入", "和", "、", "认为", "对", "还", "又", "掰", "的",
                "全程", "一同", "一起", "亲自", "认下", "作", "就", "把", "被", "将", "从", "向",
                "为", "都", "去", "照例", "一直", "已经", "正在", "早已", "始终", "多次", "每天",
                "经常", "依然", "至今", "当即", "随即", "立即", "先后", "带着", "告诉", "坦言",
                "笑着", "出任", "担任", "主动", "任", "如今", "现在", "目前", "报名", "挂职",
                "代表", "今年", "去年", "受命", "受邀", "接受",
            ]
            .iter()
            .any(|s| starts_with(chars, name_end, s))
            || matches!(
                chars[name_end],
                '，' | ',' | '。' | '：' | ':' | '、' | '”' | '（' | '(' | '；'
            );
        // 在院长李华看来: a speech word that starts inside the name and
        // ends after it (看来) means the name is shorter.
        let straddles = (start..name_end).any(|k| {
            SPEECH_WORDS
                .starting_at(chars, k)
                .any(|w| k + SPEECH_WORDS.len_of(w) > name_end)
        });
        if !anchored || straddles {
            continue;
        }
        let name: String = chars[start..name_end].iter().collect();
        // The cheap test first: titles follow one another far more
        // often than they precede a name.
        if !is_person_name(&name) {
            continue;
        }
        let bad = TITLES.iter().chain(DESCRIPTORS).any(|t| name.contains(t))
            || [
                "介绍", "表示", "认为", "看来", "回忆", "同志", "带队", "陪同",
            ]
            .iter()
            .any(|w| name.contains(w));
        if !bad {
            found = Some(name_end);
            break;
        }
    }
    found
}

/// People named right after a title and right before a speech verb or
/// another anchor (等, 率, 回忆, 与, punctuation).
pub fn persons(chars: &[char]) -> Vec<PersonCandidate> {
    let mut out = Vec::new();
    let mut pos = 0;
    while pos < chars.len() {
        let Some(title) = TITLE_WORDS.longest_at(chars, pos) else {
            pos += 1;
            continue;
        };
        let title_end = pos + TITLE_WORDS.len_of(title);
        let found = name_at(chars, title_end);
        let Some(mut name_end) = found else {
            pos = title_end;
            continue;
        };
        // 援青干部王启洋、徐智杰: names listed after one title share it.
        let mut more = Vec::new();
        while chars.get(name_end) == Some(&'、')
            && let Some(next_end) = name_at(chars, name_end + 1)
            && !TITLE_WORDS.any_at(chars, name_end + 1)
        {
            more.push((name_end + 1, next_end));
            name_end = next_end;
        }
        let name_end_first = more.first().map_or(name_end, |&(s, _)| s - 1);
        // Titles joined by 、 before this one (党委委员、副指挥).
        let mut titles = vec![(pos, title_end)];
        let mut t_start = pos;
        while t_start >= 2 && chars[t_start - 1] == '、' {
            let Some(prev) = TITLE_WORDS.longest_ending_at(chars, t_start - 1) else {
                break;
            };
            let s = t_start - 1 - TITLE_WORDS.len_of(prev);
            titles.insert(0, (s, t_start - 1));
            t_start = s;
        }
        for (name_start, end) in std::iter::once((title_end, name_end_first)).chain(more) {
            out.push(PersonCandidate {
                titles_start: t_start,
                titles: titles.clone(),
                name_start,
                name_end: end,
            });
        }
        pos = name_end;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chars(s: &str) -> Vec<char> {
        s.chars().collect()
    }

    fn org_names(s: &str) -> Vec<String> {
        organizations(&chars(s))
            .into_iter()
            .map(|c| c.name)
            .collect()
    }

    #[test]
    fn teams_are_named_by_their_mission_or_batch_and_a_command_is_no_title() {
        assert_eq!(
            org_names("据浙江省第八批援疆工作队介绍"),
            ["浙江省第八批援疆工作队"]
        );
        assert_eq!(org_names("江苏省援藏工作组组长"), ["江苏省援藏工作组"]);
        // A leading batch counts the members; a team without a mission describes.
        assert_eq!(org_names("第三批援疆干部联络组组长"), ["援疆干部联络组"]);
        assert!(org_names("海淀区工作组一行来到村里").is_empty());
        assert_eq!(
            org_names("天津市援甘前方指挥部指挥长"),
            ["天津市援甘前方指挥部"]
        );
    }

    #[test]
    fn given_names_may_hold_an_adverb_character_inside_but_not_at_the_end() {
        assert!(is_person_name("王都伟"));
        assert!(is_person_name("李向东"));
        assert!(!is_person_name("王明都"));
        assert!(!is_person_name("李华向"));
    }

    #[test]
    fn organisations_have_a_sound_left_boundary() {
        assert_eq!(org_names("东城区帮扶甘孜县医院的经验"), vec!["甘孜县医院"]);
        assert_eq!(org_names("推动海东市中医院搭建架构"), vec!["海东市中医院"]);
        assert_eq!(org_names("三家帮扶县医院均为优秀"), Vec::<String>::new());
        assert_eq!(org_names("各受援医院能力提高"), Vec::<String>::new());
        assert_eq!(
            org_names("果洛州农牧和科技局局长"),
            vec!["果洛州农牧和科技局"]
        );
        assert_eq!(
            org_names("在北京朝阳区委区政府的支持下"),
            vec!["北京朝阳区委区政府"]
        );
        assert_eq!(org_names("医院党委副书记"), Vec::<String>::new());
        assert_eq!(org_names("西城区扶持称多县医院"), vec!["称多县医院"]);
        // 校 starts the title 校长: the school is a 中学, not a 中学校.
        assert_eq!(
            org_names("玉树州第一民族中学校长张明"),
            vec!["玉树州第一民族中学"]
        );
        assert_eq!(org_names("援建囊谦县高中学校"), vec!["囊谦县高中学校"]);
    }

    #[test]
    fn generic_parts_are_not_names() {
        assert!(is_generic("县"));
        assert!(is_generic("人民"));
        assert!(is_generic("州人民"));
        assert!(!is_generic("甘孜县"));
        assert!(!is_generic("同仁"));
    }

    #[test]
    fn school_abbreviations_follow_a_place() {
        let c = chars("来自海东三高的同学");
        let found = school_abbreviations(&c, &[4]);
        assert_eq!(found[0].name, "海东三高");
    }

    #[test]
    fn quoted_programmes_need_an_assistance_context() {
        let names = |s: &str| {
            programs(&chars(s))
                .into_iter()
                .map(|c| c.name)
                .collect::<Vec<_>>()
        };
        assert_eq!(names("全面开启“2+8+N”“3+N”帮扶模式"), vec!["2+8+N", "3+N"]);
        assert_eq!(names("医、教“组团式”帮扶是重点"), vec!["“组团式”帮扶"]);
        assert_eq!(names("开展“同心圆”公益项目"), vec!["同心圆"]);
        assert_eq!(names("“助力”不是口号"), Vec::<String>::new());
        assert_eq!(names("从“输血”向“造血”转变"), Vec::<String>::new());
        assert_eq!(names("“健康、幸福”新征程"), Vec::<String>::new());
        assert_eq!(names("这是当地拟定的“三年方案”"), vec!["三年方案"]);
    }

    #[test]
    fn events_end_in_an_event_head() {
        let names = |s: &str| {
            events(&chars(s))
                .into_iter()
                .map(|c| c.name)
                .collect::<Vec<_>>()
        };
        assert_eq!(
            names("在上海—果洛经贸洽谈会上"),
            vec!["上海—果洛经贸洽谈会"]
        );
        assert_eq!(
            names("两地召开了帮扶工作联席会议"),
            vec!["帮扶工作联席会议"]
        );
        assert_eq!(names("开展了活动"), Vec::<String>::new());
        assert_eq!(
            names("2024年北京·玉树文化旅游推介会"),
            vec!["北京·玉树文化旅游推介会"]
        );
        assert_eq!(
            names("赴果洛州开展“同心·健康”义诊活动"),
            vec!["“同心·健康”义诊活动"]
        );
    }

    #[test]
    fn names_of_the_genre_are_names_and_words_are_not() {
        for name in ["王力军", "欧阳明", "欧要才仁", "尼玛才仁", "奇·达楞太"] {
            assert!(is_person_name(name), "{name}");
        }
        for word in ["任教", "当天", "群众代表", "发展", "欧要才仁全程"] {
            assert!(!is_person_name(word), "{word}");
        }
    }

    #[test]
    fn persons_follow_a_title_and_precede_an_anchor() {
        let c = chars("卫健委党委委员、副主任张三丰介绍说");
        let p = persons(&c);
        assert_eq!(p.len(), 1);
        let name: String = c[p[0].name_start..p[0].name_end].iter().collect();
        assert_eq!(name, "张三丰");
        assert_eq!(p[0].titles.len(), 2);
        assert!(persons(&chars("局长表示支持")).is_empty());
        // 看来 starts inside 李华看: the name ends before it.
        let c = chars("在院长李华看来，");
        let p = persons(&c);
        let name: String = c[p[0].name_start..p[0].name_end].iter().collect();
        assert_eq!(name, "李华");
    }

    /// Pieces the patterns look for, so random text reaches every rule.
    const PIECES: &[&str] = &[
        "玉树州",
        "人民医院",
        "医院",
        "第二民族高级中学",
        "学校",
        "公司",
        "集团",
        "局",
        "委员会",
        "指挥部",
        "党委书记",
        "副指挥",
        "局长",
        "介绍说",
        "表示",
        "等",
        "、",
        "，",
        "。",
        "“",
        "”",
        "组团式",
        "帮扶",
        "工程",
        "计划",
        "模式",
        "地震",
        "“4·14”",
        "推介会",
        "活动",
        "召开",
        "举办",
        "在",
        "向",
        "1+10+N",
        "（",
        "）",
        "(",
        ")",
        "家",
        "两",
        "a",
        "0",
        " ",
    ];

    fn text() -> impl proptest::strategy::Strategy<Value = Vec<char>> {
        use proptest::prelude::*;
        proptest::collection::vec(
            prop_oneof![
                proptest::sample::select(PIECES).prop_map(|p| p.chars().collect::<Vec<_>>()),
                any::<char>().prop_map(|c| vec![c]),
            ],
            0..40,
        )
        .prop_map(|parts| parts.concat())
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(256))]

        /// No rule panics; every candidate lies within the text and names
        /// what it covers (a programme may be named by its quoted core).
        #[test]
        fn patterns_never_panic_and_stay_within_the_text(chars in text(), cut in 0usize..200) {
            let n = chars.len();
            let place_ends: Vec<usize> = (0..n).filter(|i| i % 7 == 3).collect();
            let place_spans: Vec<(usize, usize)> =
                place_ends.iter().map(|&e| (e.saturating_sub(2), e)).collect();
            let mut found = organizations(&chars);
            found.extend(school_abbreviations(&chars, &place_ends));
            found.extend(programs(&chars));
            found.extend(events(&chars));
            found.extend(named_disasters(&chars, &place_spans));
            for c in &found {
                proptest::prop_assert!(c.start < c.end && c.end <= n, "{:?}", c);
                let written: String = chars[c.start..c.end].iter().collect();
                proptest::prop_assert!(written.contains(&c.name), "{:?} in {:?}", c, written);
            }
            for p in persons(&chars) {
                proptest::prop_assert!(p.titles_start <= p.name_start);
                proptest::prop_assert!(p.name_start < p.name_end && p.name_end <= n);
                for &(a, b) in &p.titles {
                    proptest::prop_assert!(p.titles_start <= a && a < b && b <= p.name_start);
                }
            }
            let head = cut.min(n);
            proptest::prop_assert!(left_boundary(&chars, head, 16) <= head);
        }
    }
}
