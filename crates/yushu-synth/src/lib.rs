//! Synthetic articles of the genre, for benchmarks at scale.
//!
//! [`Generator`] writes an endless corpus of Chinese news reports on
//! Beijing's counterpart assistance to Yushu: a headline, a paragraph on a
//! Beijing district and its paired county, fundings by year and sector,
//! hospitals, schools, companies and cooperatives, officials quoted with
//! their titles, programmes in quotation marks, events, figures, dates and
//! paragraphs with nothing to extract. Every article is a complete file with
//! `+++` front matter, ready for [`yushu_kg::source::article::Article::parse`].
//!
//! The i-th article depends only on the seed, `i` and the reference data, so
//! articles can be written in any order and in parallel. The random numbers
//! come from SplitMix64, implemented here with integer arithmetic only, and
//! nothing iterates a hash map: the same seed gives the same bytes on every
//! platform and with every version of the dependencies.
//!
//! Names come from the reference data (pairings, areas, gazetteer
//! organisations) and from pools drawn from the seed once (schools,
//! hospitals, cooperatives, companies, bodies and officials of each pairing),
//! so entities recur across articles as in a real corpus; each article also
//! makes up a few names of its own, which gives the long tail.

use yushu_kg::source::reference::{Area, OrgType, Reference};

// ---------------------------------------------------------------------------
// Random numbers
// ---------------------------------------------------------------------------

const GOLDEN: u64 = 0x9E37_79B9_7F4A_7C15;

/// The SplitMix64 finaliser: a bijective mix of 64 bits.
fn mix64(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// SplitMix64 (Steele, Lea and Flood 2014): tiny, fast, and the same
/// everywhere.
#[derive(Clone, Debug)]
struct Rng {
    state: u64,
}

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng { state: mix64(seed) }
    }

    fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(GOLDEN);
        mix64(self.state)
    }

    /// Uniform in `0..n` (0 when `n` is 0), by multiply-shift.
    fn below(&mut self, n: usize) -> usize {
        ((u128::from(self.next_u64()) * n as u128) >> 64) as usize
    }

    /// Uniform in `lo..=hi`.
    fn range(&mut self, lo: u64, hi: u64) -> u64 {
        let span = u128::from(hi.saturating_sub(lo)) + 1;
        lo + ((u128::from(self.next_u64()) * span) >> 64) as u64
    }

    /// True with probability `p`/100.
    fn percent(&mut self, p: usize) -> bool {
        self.below(100) < p
    }

    /// A uniform index skewed towards the front (the minimum of two draws):
    /// a few names are popular, most are rare.
    fn skewed(&mut self, n: usize) -> usize {
        self.below(n).min(self.below(n))
    }

    fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = self.below(i + 1);
            items.swap(i, j);
        }
    }
}

// ---------------------------------------------------------------------------
// Word lists (the genre's vocabulary, not facts of any article)
// ---------------------------------------------------------------------------

/// Family names common enough to be recognised as such.
const SURNAMES: &str = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁沈姚卢姜崔钟谭陆汪范金廖贾夏韦付方白邹孟熊秦邱江薛段雷侯龙史陶贺顾毛郝龚邵严武戴孔汤康";

/// Characters of given names (none is a title, verb or particle).
const GIVEN: &str = "伟芳娜敏静丽强磊军洋勇艳杰涛超秀霞平刚桂英华建辉鹏飞宇浩凯晨博思雪琳晶颖鑫峰志立春红兰东亮斌健俊帆欣旭岩松梅莉燕蕾婷瑞骏昊楠哲彬瑜玲锋毅宁振国庆永胜福贵";

/// Syllables of Tibetan personal names.
const TIBETAN: &[&str] = &[
    "才仁", "扎西", "尼玛", "多杰", "卓玛", "旦增", "次仁", "格桑", "拉姆", "达瓦", "索南", "洛桑",
    "央金", "德吉", "巴桑", "公保", "拉毛", "久美", "江措", "尕玛", "更登", "昂文", "才让", "东主",
    "仁青", "文措", "永措", "周加", "吉美", "白玛",
];

const TOWN_FIRST: &str = "扎曲尕拉结隆哈巴昂索吉珍歇觉娘白约秋叶查阿苏莫麻加多达然俄";
const TOWN_SECOND: &str = "曲多宝秀塘赛羊科秦武拉扎改干智格旦云鲁吉玛通涌杰措";
const BRAND_FIRST: &str = "京华瑞博康汇嘉天鼎恒源海远智青润安德宏益达盛融祥鸿金";
const BRAND_SECOND: &str = "诚丰远达通禾盛信纳航联泽泰辉科元晟誉隆邦创佳";

const INDUSTRIES: &[&str] = &[
    "科技",
    "农业科技",
    "生态农业",
    "文化传媒",
    "商贸",
    "建筑工程",
    "医疗器械",
    "食品",
    "供应链管理",
    "畜牧业开发",
    "旅游开发",
    "信息技术",
    "新能源",
    "环保科技",
    "教育科技",
];

const COMPANY_HEADS: &[&str] = &[
    "有限公司",
    "有限公司",
    "有限公司",
    "有限责任公司",
    "股份有限公司",
    "集团",
];

const PRODUCTS: &[&str] = &[
    "牦牛养殖",
    "藏系羊养殖",
    "黑青稞种植",
    "民族服饰加工",
    "手工艺品制作",
    "乳制品加工",
    "生态畜牧业",
    "藏香制作",
    "饲草种植",
    "民族刺绣",
];

const CN_ORDINALS: &[&str] = &["一", "二", "三", "四", "五", "六"];

const PUBLISHERS: &[&str] = &[
    "青海日报",
    "北京日报",
    "玉树报",
    "西海都市报",
    "人民网",
    "新华网",
    "中国新闻网",
    "青海新闻网",
    "北京青年报",
    "光明日报",
    "中国西藏网",
    "央广网",
];

const SLOGANS: &[&str] = &[
    "京玉情满怀 江源展新颜",
    "雪域高原绽放京玉之花",
    "三江源头架起连心桥",
    "高原牧区迎来新变化",
    "对口支援结硕果",
    "民生工程暖人心",
    "特色产业助增收",
    "教育帮扶点亮希望",
    "健康守护送到家门口",
    "携手奋进新征程",
    "首都情谊润江源",
    "一张蓝图绘到底",
    "山海相连 京玉同心",
];

const COLUMNS: &[&str] = &[
    "新时代 新征程 新伟业",
    "援青故事",
    "奋进新征程",
    "对口支援在行动",
];

const HEADINGS: &[&str] = &[
    "增福祉——",
    "强动力——",
    "固根基——",
    "惠民生——",
    "育人才——",
    "促交流——",
    "兴产业——",
    "暖人心——",
];

const FOCUSES: &[&str] = &[
    "以教育医疗和智力帮扶为重点",
    "聚焦产业就业和民生改善",
    "围绕乡村振兴和民族团结进步",
    "以保障和改善民生为主线",
    "坚持把资金和项目向基层倾斜",
];

const QUOTES: &[&str] = &[
    "看病不用愁、教育跟得上、日子过得好，这是我们最大的心愿",
    "北京的专家来了以后，我们在家门口就能看上好医生",
    "孩子们在新教室里上课，我们当家长的心里踏实多了",
    "有了合作社，我们不用离开草原也能挣到钱",
    "对口支援不只是给钱给物，更重要的是把理念和经验带过来",
    "我们要把北京的好做法留下来，打造一支带不走的队伍",
    "下一步，我们将继续深化两地交流合作，推动各项帮扶措施落地见效",
    "这条路修通以后，牛羊肉运出去方便多了",
    "以前冬天取暖要烧牛粪，现在家里通上了暖气",
    "我们把牧民的需要放在第一位，办一件成一件",
    "只要是群众需要的，我们就尽全力去做",
    "北京老师带来的不只是知识，还有新的教学理念",
    "能为高原群众做点实事，是我这辈子最难忘的经历",
    "我们的产品终于走出了草原，走上了首都市民的餐桌",
];

const PATIENT_QUOTES: &[&str] = &[
    "以前看病要跑到西宁，现在在家门口就能做手术",
    "北京来的医生很耐心，给我们讲怎么预防高原病",
    "孩子的病在县医院就治好了，省了不少路费",
    "家门口的卫生院有了新设备，看病方便多了",
    "专家每个月都来义诊，我们心里很踏实",
];

const STATEMENTS: &[&str] = &[
    "两地将围绕产业发展、就业促进和人才交流继续加强合作",
    "援建项目已全部开工，工程质量和进度总体良好",
    "帮扶团队坚持输血和造血并重，着力提升当地自我发展能力",
    "下一步将把更多资源向农牧区倾斜，让群众共享发展成果",
    "各项帮扶工作正在有序推进，群众的获得感不断增强",
    "援青干部扎根高原，克服高寒缺氧等困难，圆满完成了各项任务",
    "双方将建立常态化沟通机制，确保帮扶工作有序衔接",
];

const NOISE: &[&str] = &[
    "初夏时节，三江源头草色青青，远处的雪山在阳光下熠熠生辉。",
    "清晨的街道上，转经的群众络绎不绝，空气中飘着酥油茶的香味。",
    "从燕京大地到三江之源，两地虽相隔万水千山，却同气连枝。",
    "通过英语学习的纽带，架起了两地青少年之间沟通的桥梁。",
    "一年打基础，两年见成效，三年出成果，这是当地拟定的目标。",
    "走进牧民新村，一排排藏式民居整齐排列，房前屋后干净整洁。",
    "高原的冬天来得早，不少援青干部刚到时都经历了头痛失眠的考验。",
    "帮扶团队坚持从“输血”向“造血”转变，把人才培养作为着力点。",
    "“助力”不是口号，而是实实在在的行动。",
    "如今，一项项民生工程落地见效，群众的笑容越来越多。",
    "夜幕降临，广场上响起欢快的锅庄舞曲，群众手拉着手跳起舞来。",
    "草原上的格桑花开了，牧民们赶着牛羊走向夏季牧场。",
    "这些变化，当地群众看在眼里，记在心上。",
    "援青干部们说，高原的路难走，但再难走的路也要走下去。",
    "在海拔四千多米的高原上，每一项工作都比平原地区付出更多努力。",
    "两地干部群众同心协力，谱写了一曲曲民族团结的动人乐章。",
    "雨后的草原格外清新，一群群牦牛在山坡上悠闲地吃草。",
    "站在新落成的观景台上，远眺澜沧江蜿蜒流过峡谷。",
    "村民们围坐在一起，端出热腾腾的奶茶招待远方的客人。",
    "时间回到十多年前，那场突如其来的灾难让这片土地满目疮痍。",
];

const NOTICES: &[&str] = &[
    "【便民提示】今年城乡居民基本医疗保险个人缴费标准为每人每年380元，参保群众可通过银行网点或手机客户端办理缴费。",
    "【温馨提示】近期气温变化较大，请广大群众注意防寒保暖，出行注意交通安全。",
    "【相关链接】北京对口支援玉树工作自2010年全面启动，至今已走过十余年。",
];

const NAMED_PROGRAMMES: &[&str] = &[
    "京玉连心",
    "雪域春苗",
    "格桑花开",
    "三江同心",
    "名师送教",
    "健康快车",
    "京玉同行",
    "石榴籽",
    "光明行",
    "温暖牧区",
    "送医下乡",
    "云端课堂",
    "京玉好物",
    "高原红",
    "同心圆",
    "手拉手",
];

const PROGRAMME_SUFFIXES: &[&str] = &["工程", "计划", "行动", "公益项目", "项目", "帮扶"];

/// Sectors of a funding, each with the words that name it in a report.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Sector {
    Education,
    Medical,
    Industry,
    Employment,
    Infrastructure,
    Housing,
    Tourism,
    Talent,
    Ecology,
}

const SECTORS: &[Sector] = &[
    Sector::Education,
    Sector::Medical,
    Sector::Industry,
    Sector::Employment,
    Sector::Infrastructure,
    Sector::Housing,
    Sector::Tourism,
    Sector::Talent,
    Sector::Ecology,
];

impl Sector {
    fn words(self) -> &'static [&'static str] {
        match self {
            Sector::Education => &["教育", "基础教育", "学校建设"],
            Sector::Medical => &["医疗卫生", "医疗", "卫生健康"],
            Sector::Industry => &["产业发展", "产业", "特色产业"],
            Sector::Employment => &["就业", "稳岗就业", "转移就业"],
            Sector::Infrastructure => &["基础设施", "基础设施建设", "市政基础设施"],
            Sector::Housing => &["住房保障", "安居工程"],
            Sector::Tourism => &["文化旅游", "文旅融合", "旅游"],
            Sector::Talent => &["人才培养", "智力支援", "干部人才培养"],
            Sector::Ecology => &["生态保护", "生态环境"],
        }
    }
}

// ---------------------------------------------------------------------------
// Numerals
// ---------------------------------------------------------------------------

const CN_DIGITS: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];

/// `n` below 10,000 as a Chinese numeral (十二, 三千零五, 一百零八).
fn cn_below_10k(n: u64) -> String {
    if n == 0 {
        return "零".to_owned();
    }
    let digits = [n / 1000 % 10, n / 100 % 10, n / 10 % 10, n % 10];
    let units = ["千", "百", "十", ""];
    let mut out = String::new();
    let (mut zero, mut started) = (false, false);
    for (k, &d) in digits.iter().enumerate() {
        if d == 0 {
            zero |= started;
            continue;
        }
        if zero {
            out.push('零');
            zero = false;
        }
        // 十二, not 一十二, at the front.
        if !(k == 2 && d == 1 && !started) {
            out.push_str(CN_DIGITS[d as usize]);
        }
        out.push_str(units[k]);
        started = true;
    }
    out
}

/// `n` below 10^8 as a Chinese numeral (一万零五百).
fn cn_number(n: u64) -> String {
    let (high, low) = (n / 10_000, n % 10_000);
    if high == 0 {
        return cn_below_10k(low);
    }
    let mut s = cn_below_10k(high);
    s.push('万');
    if low > 0 {
        if low < 1000 {
            s.push('零');
        }
        s.push_str(&cn_below_10k(low));
    }
    s
}

/// A count before a measure word in Chinese numerals: 两 for 2 (两所), else [`cn_number`].
fn cn_count(n: u64) -> String {
    if n == 2 {
        "两".to_owned()
    } else {
        cn_number(n)
    }
}

/// Escapes a TOML basic string.
fn toml_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

// ---------------------------------------------------------------------------
// Pools
// ---------------------------------------------------------------------------

/// A person with a post: `{org}{title}{name}`.
#[derive(Clone, Debug)]
struct Official {
    org: String,
    title: String,
    name: String,
}

impl Official {
    fn intro(&self) -> String {
        format!("{}{}{}", self.org, self.title, self.name)
    }
}

/// One official pairing with the names of both sides.
#[derive(Clone, Debug)]
struct Pair {
    /// 西城区
    district: String,
    /// Written forms of the district (official name first).
    district_forms: Vec<String>,
    /// 西城
    district_base: String,
    /// 囊谦县
    county: String,
    /// Written forms of the county (official name first).
    county_forms: Vec<String>,
    /// 囊谦
    county_base: String,
    /// 县 or 市.
    county_level: char,
    towns: Vec<String>,
    villages: Vec<String>,
    schools: Vec<String>,
    hospitals: Vec<String>,
    coops: Vec<String>,
    companies: Vec<String>,
    county_bodies: Vec<String>,
    district_bodies: Vec<String>,
    district_hospitals: Vec<String>,
    district_schools: Vec<String>,
    officials: Vec<Official>,
    district_officials: Vec<Official>,
}

/// Writes synthetic articles of the genre: see the module documentation.
#[derive(Clone, Debug)]
pub struct Generator {
    seed: u64,
    /// 北京市 and its written forms.
    municipality: Vec<String>,
    /// 玉树藏族自治州 and its written forms.
    prefecture: Vec<String>,
    /// 青海省 and its written forms.
    province: Vec<String>,
    pairs: Vec<Pair>,
    /// Written forms of Beijing's front-line command (指挥部).
    command: Vec<String>,
    command_officials: Vec<Official>,
    bj_hospitals: Vec<String>,
    bj_schools: Vec<String>,
    bj_companies: Vec<String>,
    bj_bodies: Vec<String>,
    bj_organizations: Vec<String>,
    pref_hospitals: Vec<String>,
    pref_schools: Vec<String>,
    pref_bodies: Vec<String>,
    /// Hospitals and universities of the province outside the prefecture.
    qh_institutions: Vec<String>,
    han_names: Vec<String>,
    tibetan_names: Vec<String>,
    programmes: Vec<String>,
}

fn chars_of(s: &str) -> Vec<char> {
    s.chars().collect()
}

fn han_name(rng: &mut Rng) -> String {
    let surnames = chars_of(SURNAMES);
    let given = chars_of(GIVEN);
    let mut s = String::new();
    s.push(surnames[rng.skewed(surnames.len())]);
    s.push(given[rng.below(given.len())]);
    if rng.percent(65) {
        s.push(given[rng.below(given.len())]);
    }
    s
}

fn tibetan_name(rng: &mut Rng) -> String {
    let first = TIBETAN[rng.below(TIBETAN.len())];
    if rng.percent(25) {
        return first.to_owned();
    }
    let mut second = TIBETAN[rng.below(TIBETAN.len())];
    if second == first {
        second = TIBETAN[(rng.below(TIBETAN.len() - 1) + 1) % TIBETAN.len()];
    }
    format!("{first}{second}")
}

fn two_chars(rng: &mut Rng, first: &str, second: &str) -> String {
    let a = chars_of(first);
    let b = chars_of(second);
    let mut s = String::new();
    s.push(a[rng.below(a.len())]);
    s.push(b[rng.below(b.len())]);
    s
}

fn brand(rng: &mut Rng) -> String {
    two_chars(rng, BRAND_FIRST, BRAND_SECOND)
}

/// `count` distinct names made by `make`, in the order first made.
fn distinct(rng: &mut Rng, count: usize, mut make: impl FnMut(&mut Rng) -> String) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut tries = 0;
    while out.len() < count && tries < count * 20 {
        tries += 1;
        let s = make(rng);
        if !out.contains(&s) {
            out.push(s);
        }
    }
    out
}

fn forms(area: Option<&Area>, fallback: &str) -> Vec<String> {
    match area {
        Some(a) => std::iter::once(a.name_zh.clone())
            .chain(a.aliases.iter().cloned())
            .collect(),
        None => vec![fallback.to_owned()],
    }
}

fn strip_level(name: &str) -> String {
    let mut s = name.to_owned();
    if s.chars().count() > 2 && s.ends_with(['区', '县', '市']) {
        s.pop();
    }
    s
}

fn beijing_company(rng: &mut Rng) -> String {
    let head = COMPANY_HEADS[rng.below(COMPANY_HEADS.len())];
    let industry = INDUSTRIES[rng.below(INDUSTRIES.len())];
    format!("北京{}{industry}{head}", brand(rng))
}

fn programme(rng: &mut Rng) -> String {
    if rng.percent(45) {
        let a = rng.range(1, 9);
        let b = rng.range(2, 12);
        let model = match rng.below(4) {
            0 => format!("{a}+{b}+N"),
            1 => format!("1+{b}+N"),
            2 => format!("{a}+N"),
            _ => format!("1+1+{a}+N"),
        };
        let suffix = ["帮扶模式", "模式", "工作法", "帮扶模式"][rng.below(4)];
        format!("“{model}”{suffix}")
    } else {
        let name = NAMED_PROGRAMMES[rng.below(NAMED_PROGRAMMES.len())];
        let suffix = PROGRAMME_SUFFIXES[rng.below(PROGRAMME_SUFFIXES.len())];
        format!("“{name}”{suffix}")
    }
}

/// Where a gazetteer organisation belongs among the pools.
enum Home {
    County(usize),
    District(usize),
    Beijing,
    Prefecture,
    Province,
    Elsewhere,
}

impl Generator {
    /// A generator whose pools of names come from the reference data (areas,
    /// pairings, organisations) plus names drawn from `seed`.
    pub fn new(reference: &Reference, seed: u64) -> Generator {
        let mut rng = Rng::new(seed ^ 0xD6E8_FEB8_6659_FD93);
        let mut pairings: Vec<(Option<&Area>, Option<&Area>)> = reference
            .pairings
            .iter()
            .map(|p| (reference.area(&p.district), reference.area(&p.county)))
            .filter(|(d, c)| d.is_some() && c.is_some())
            .collect();
        if pairings.is_empty() {
            pairings.push((None, None));
        }
        let first_district = pairings[0].0;
        let first_county = pairings[0].1;
        let municipality_area = first_district.and_then(|d| reference.area(&d.part_of));
        let prefecture_area = first_county.and_then(|c| reference.area(&c.part_of));
        let province_area = prefecture_area.and_then(|p| reference.area(&p.part_of));
        let municipality = forms(municipality_area, "北京市");
        let prefecture = forms(prefecture_area, "玉树藏族自治州");
        let province = forms(province_area, "青海省");
        let muni_id = municipality_area.map_or("", |a| a.id.as_str());
        let pref_id = prefecture_area.map_or("", |a| a.id.as_str());
        let prov_id = province_area.map_or("", |a| a.id.as_str());
        let pref_short = prefecture
            .iter()
            .find(|f| f.chars().count() == 3 && f.ends_with('州'))
            .cloned()
            .unwrap_or_else(|| "玉树州".to_owned());

        let mut pairs: Vec<Pair> = pairings
            .iter()
            .map(|(d, c)| {
                let district_forms = forms(*d, "西城区");
                let county_forms = forms(*c, "囊谦县");
                let district = district_forms[0].clone();
                let county = county_forms[0].clone();
                let county_base = strip_level(&county);
                let county_level = county.chars().last().unwrap_or('县');
                Pair {
                    district_base: strip_level(&district),
                    district_forms,
                    district,
                    county_forms,
                    county_base,
                    county_level,
                    county,
                    towns: Vec::new(),
                    villages: Vec::new(),
                    schools: Vec::new(),
                    hospitals: Vec::new(),
                    coops: Vec::new(),
                    companies: Vec::new(),
                    county_bodies: Vec::new(),
                    district_bodies: Vec::new(),
                    district_hospitals: Vec::new(),
                    district_schools: Vec::new(),
                    officials: Vec::new(),
                    district_officials: Vec::new(),
                }
            })
            .collect();

        let mut g = Generator {
            seed,
            municipality,
            prefecture,
            province,
            pairs: Vec::new(),
            command: Vec::new(),
            command_officials: Vec::new(),
            bj_hospitals: Vec::new(),
            bj_schools: Vec::new(),
            bj_companies: Vec::new(),
            bj_bodies: Vec::new(),
            bj_organizations: Vec::new(),
            pref_hospitals: Vec::new(),
            pref_schools: Vec::new(),
            pref_bodies: Vec::new(),
            qh_institutions: Vec::new(),
            han_names: Vec::new(),
            tibetan_names: Vec::new(),
            programmes: Vec::new(),
        };

        // Gazetteer organisations, each in the pool of where it is.
        let district_ids: Vec<&str> = pairings
            .iter()
            .map(|(d, _)| d.map_or("", |a| a.id.as_str()))
            .collect();
        let county_ids: Vec<&str> = pairings
            .iter()
            .map(|(_, c)| c.map_or("", |a| a.id.as_str()))
            .collect();
        let within = |inner: &str, outer: &str| {
            !inner.is_empty() && !outer.is_empty() && reference.area_within(inner, outer)
        };
        for o in &reference.organizations {
            let loc = o.located_in.as_str();
            let home = if let Some(k) = county_ids.iter().position(|c| within(loc, c)) {
                Home::County(k)
            } else if let Some(k) = district_ids.iter().position(|d| within(loc, d)) {
                Home::District(k)
            } else if within(loc, muni_id) {
                Home::Beijing
            } else if within(loc, pref_id) {
                Home::Prefecture
            } else if within(loc, prov_id) {
                Home::Province
            } else {
                Home::Elsewhere
            };
            let is_command =
                o.name_zh.contains("指挥部") || o.aliases.iter().any(|a| a.contains("指挥部"));
            if is_command && o.org_type == OrgType::GovernmentBody {
                g.command.extend(o.aliases.iter().cloned());
                g.command.push(o.name_zh.clone());
                continue;
            }
            // The official name, or now and then a short form in common use.
            let names: Vec<String> = std::iter::once(o.name_zh.clone())
                .chain(o.aliases.iter().cloned())
                .collect();
            let name = names[rng.below(names.len())].clone();
            match (home, o.org_type) {
                (Home::County(k), OrgType::Hospital) => pairs[k].hospitals.push(name),
                (Home::County(k), OrgType::School) => pairs[k].schools.push(name),
                (Home::County(k), OrgType::Company) => pairs[k].companies.push(name),
                (Home::County(k), _) => pairs[k].county_bodies.push(name),
                (Home::District(k), OrgType::Hospital) => pairs[k].district_hospitals.push(name),
                (Home::District(k), OrgType::School) => pairs[k].district_schools.push(name),
                (Home::District(k), OrgType::GovernmentBody) => {
                    pairs[k].district_bodies.push(name);
                }
                (Home::Beijing, OrgType::Hospital) => {
                    g.bj_hospitals.push(name);
                }
                (Home::Beijing, OrgType::School) => g.bj_schools.push(name),
                (Home::District(_) | Home::Beijing, OrgType::Company) => {
                    g.bj_companies.push(name);
                }
                (Home::Beijing, OrgType::GovernmentBody) => {
                    g.bj_bodies.push(name);
                }
                (Home::District(_) | Home::Beijing, OrgType::Organization) => {
                    g.bj_organizations.push(name);
                }
                (Home::Prefecture, OrgType::Hospital) => g.pref_hospitals.push(name),
                (Home::Prefecture, OrgType::School) => g.pref_schools.push(name),
                (Home::Prefecture | Home::Province, OrgType::GovernmentBody) => {
                    g.pref_bodies.push(name);
                }
                (Home::Province, OrgType::Hospital | OrgType::School) => {
                    g.qh_institutions.push(name);
                }
                (Home::Prefecture | Home::Province, _) | (Home::Elsewhere, _) => {}
            }
        }
        if g.command.is_empty() {
            g.command.push("北京青海玉树指挥部".to_owned());
        }
        // Shortest forms first: reports mostly use them.
        g.command.sort_by_key(|c| c.chars().count());

        // Generated names: Beijing firms, prefecture institutions, people, programmes.
        let companies = distinct(&mut rng, 160, beijing_company);
        g.bj_companies.extend(companies);
        for ordinal in &CN_ORDINALS[..4] {
            g.pref_schools
                .push(format!("{pref_short}第{ordinal}民族高级中学"));
        }
        g.pref_schools.push(format!("{pref_short}民族综合高级中学"));
        g.pref_schools.push(format!("{pref_short}职业技术学校"));
        g.pref_hospitals.push(format!("{pref_short}第三人民医院"));
        g.pref_hospitals.push(format!("{pref_short}妇幼保健院"));
        g.pref_bodies.push(format!("{pref_short}农牧和科技局"));
        g.pref_bodies.push(format!("{pref_short}文体旅游广电局"));
        if g.bj_hospitals.is_empty() {
            g.bj_hospitals.push("北京同仁医院".to_owned());
        }
        if g.bj_schools.is_empty() {
            g.bj_schools.push("首都师范大学附属中学".to_owned());
        }
        if g.bj_bodies.is_empty() {
            g.bj_bodies.push("北京市支援合作办".to_owned());
        }
        if g.bj_organizations.is_empty() {
            g.bj_organizations.push("北京市红十字会".to_owned());
        }
        if g.qh_institutions.is_empty() {
            g.qh_institutions.push("青海大学".to_owned());
        }
        if g.pref_bodies.is_empty() {
            g.pref_bodies.push(format!("{pref_short}教育局"));
        }
        g.han_names = distinct(&mut rng, 600, han_name);
        g.tibetan_names = distinct(&mut rng, 300, tibetan_name);
        g.programmes = distinct(&mut rng, 48, programme);
        g.programmes.insert(0, "“组团式”帮扶".to_owned());

        let command_titles = [
            "总指挥",
            "党委书记、总指挥",
            "副总指挥",
            "党委委员、副指挥",
            "副指挥",
            "项目部部长",
            "指挥长",
        ];
        let command = g.command[0].clone();
        for title in command_titles {
            let name = g.han_names[rng.below(g.han_names.len())].clone();
            g.command_officials.push(Official {
                org: command.clone(),
                title: title.to_owned(),
                name,
            });
        }

        for pair in &mut pairs {
            fill_pair(&mut rng, pair, &g.han_names, &g.tibetan_names);
        }
        g.pairs = pairs;
        g
    }

    /// The i-th article's id.
    pub fn id(&self, i: usize) -> String {
        format!("synth-{:x}-{i:06}", self.seed)
    }

    /// The whole file text of the i-th article: `+++` TOML front matter
    /// (title, publisher, date, language, id; authors when there is a
    /// byline) and the body. Depends only on the seed and `i`.
    pub fn article(&self, i: usize) -> String {
        let stream =
            mix64(self.seed) ^ mix64((i as u64).wrapping_mul(GOLDEN) ^ 0xA076_1D64_78BD_642F);
        let mut ctx = Ctx::new(self, Rng::new(stream));
        let body = ctx.body();
        let mut out = String::with_capacity(body.len() + 256);
        out.push_str("+++\n");
        out.push_str(&format!("title = {}\n", toml_string(&ctx.title)));
        out.push_str(&format!("publisher = {}\n", toml_string(ctx.publisher)));
        if !ctx.authors.is_empty() {
            let authors: Vec<String> = ctx.authors.iter().map(|a| toml_string(a)).collect();
            out.push_str(&format!("authors = [{}]\n", authors.join(", ")));
        }
        out.push_str(&format!("date = {}\n", toml_string(&ctx.date_field())));
        out.push_str("language = \"zh\"\n");
        out.push_str(&format!("id = {}\n", toml_string(&self.id(i))));
        out.push_str("+++\n");
        out.push_str(&body);
        out
    }
}

/// The title of a body's head: 局长 of a 局, 主任 of a commission.
fn body_head(body: &str) -> &'static str {
    if body.ends_with('局') {
        "局长"
    } else if body.ends_with("州委") || body.ends_with("省委") || body.ends_with("市委") {
        "副书记"
    } else if body.ends_with('委')
        || body.ends_with("委员会")
        || body.ends_with("中心")
        || body.ends_with('办')
    {
        "主任"
    } else if body.ends_with("政府") && body.contains('州') {
        "副州长"
    } else {
        "负责人"
    }
}

/// Draws the institutions and officials of one pairing.
fn fill_pair(rng: &mut Rng, p: &mut Pair, han: &[String], tibetan: &[String]) {
    let c = p.county.clone();
    let d = p.district.clone();
    let level = p.county_level;
    p.towns = distinct(rng, 8, |r| {
        let suffix = if r.percent(50) { "乡" } else { "镇" };
        format!("{}{suffix}", two_chars(r, TOWN_FIRST, TOWN_SECOND))
    });
    p.villages = distinct(rng, 8, |r| {
        format!("{}村", two_chars(r, TOWN_FIRST, TOWN_SECOND))
    });
    let towns = p.towns.clone();
    let villages = p.villages.clone();

    let mut schools = vec![
        format!("{c}第一民族中学"),
        format!("{c}第二民族中学"),
        format!("{c}民族中学"),
        format!("{c}第一完全小学"),
        format!("{c}第二完全小学"),
        format!("{c}第三完全小学"),
        format!("{c}职业技术学校"),
        format!("{c}第一幼儿园"),
    ];
    for t in towns.iter().take(4) {
        schools.push(format!("{c}{t}寄宿制小学"));
        schools.push(format!("{t}中心小学"));
    }
    for v in villages.iter().take(3) {
        schools.push(format!("{v}幼儿园"));
    }
    rng.shuffle(&mut schools);
    p.schools.extend(schools);

    let mut hospitals = vec![
        format!("{c}人民医院"),
        format!("{c}藏医院"),
        format!("{c}妇幼保健院"),
        format!("{c}中医院"),
    ];
    for t in towns.iter().take(4) {
        hospitals.push(format!("{c}{t}卫生院"));
    }
    hospitals.push(format!("{}中心卫生院", towns[0]));
    // The county hospital is the one most reports name.
    rng.shuffle(&mut hospitals[1..]);
    p.hospitals.extend(hospitals);

    p.coops = distinct(rng, 12, |r| {
        let product = PRODUCTS[r.below(PRODUCTS.len())];
        if r.percent(50) {
            format!("{c}{}{product}专业合作社", towns[r.below(towns.len())])
        } else {
            format!("{}{product}合作社", villages[r.below(villages.len())])
        }
    });
    let base = p.county_base.clone();
    let local = distinct(rng, 6, |r| {
        let industry = [
            "生态农业",
            "畜牧业开发",
            "文化旅游",
            "商贸",
            "建筑工程",
            "食品",
        ][r.below(6)];
        format!("{base}{}{industry}有限公司", brand(r))
    });
    p.companies.extend(local);

    p.county_bodies.extend([
        format!("{c}委"),
        format!("{c}人民政府"),
        format!("{base}{level}委{level}政府"),
        format!("{c}教育局"),
        format!("{c}卫生健康局"),
        format!("{c}农牧和科技局"),
        format!("{c}文体旅游广电局"),
        format!("{c}人力资源和社会保障局"),
        format!("{c}住房和城乡建设局"),
        format!("{c}乡村振兴局"),
    ]);
    let db = p.district_base.clone();
    p.district_bodies.extend([
        format!("{d}委"),
        format!("{db}区委区政府"),
        format!("{d}教委"),
        format!("{d}卫生健康委员会"),
        format!("{d}发展和改革委员会"),
        format!("{d}人力资源和社会保障局"),
        format!("{d}农业农村局"),
        format!("{d}商务局"),
        format!("{d}文化和旅游局"),
        format!("{d}支援合作办"),
    ]);
    p.district_hospitals
        .extend([format!("北京市{d}中医医院"), format!("{d}妇幼保健院")]);
    p.district_schools.extend([
        format!("{d}{}实验学校", brand(rng)),
        format!("{d}{}中学", brand(rng)),
        format!("{d}教育科学研究院"),
    ]);

    let pick = |r: &mut Rng, pool: &[String]| pool[r.below(pool.len())].clone();
    let county_posts = [
        (format!("{c}委"), "书记"),
        (format!("{c}委"), "副书记"),
        (
            format!("{c}人民政府"),
            if level == '市' { "市长" } else { "县长" },
        ),
        (format!("{c}教育局"), "局长"),
        (format!("{c}卫生健康局"), "局长"),
        (format!("{c}农牧和科技局"), "副局长"),
        (format!("{c}人民医院"), "院长"),
        (format!("{c}第一民族中学"), "校长"),
        (format!("{c}乡村振兴局"), "局长"),
    ];
    for (org, title) in county_posts {
        let name = if rng.percent(60) {
            pick(rng, tibetan)
        } else {
            pick(rng, han)
        };
        p.officials.push(Official {
            org,
            title: title.to_owned(),
            name,
        });
    }
    let district_posts = [
        (format!("{d}委"), "书记"),
        (format!("{d}委"), "副书记"),
        (format!("{d}人民政府"), "区长"),
        (format!("{d}人民政府"), "副区长"),
        (format!("{d}教委"), "主任"),
        (format!("{d}卫生健康委员会"), "党委书记"),
        (format!("{d}支援合作办"), "主任"),
    ];
    for (org, title) in district_posts {
        p.district_officials.push(Official {
            org,
            title: title.to_owned(),
            name: pick(rng, han),
        });
    }
    for pool in [
        &mut p.schools,
        &mut p.hospitals,
        &mut p.companies,
        &mut p.county_bodies,
        &mut p.district_bodies,
        &mut p.district_hospitals,
        &mut p.district_schools,
    ] {
        dedup_in_order(pool);
    }
}

/// Drops later repeats, keeping the first of each name where it stands.
fn dedup_in_order(names: &mut Vec<String>) {
    let mut seen = std::collections::BTreeSet::new();
    names.retain(|n| seen.insert(n.clone()));
}

// ---------------------------------------------------------------------------
// One article
// ---------------------------------------------------------------------------

/// Scale of an amount of money.
#[derive(Clone, Copy)]
enum Scale {
    /// Tens to hundreds of 万元.
    Small,
    /// Thousands of 万元.
    Medium,
    /// 亿元, for one district.
    Large,
    /// Billions, for all of Beijing's assistance.
    Total,
}

/// Most bytes of body an article gets, and the least.
const MAX_BODY: usize = 11_600;
const MIN_BODY: usize = 1_700;
const BRIEF_MIN_BODY: usize = 600;

/// The state of writing one article.
struct Ctx<'a> {
    g: &'a Generator,
    rng: Rng,
    pair: &'a Pair,
    /// Another pairing, for sentences naming two.
    other: &'a Pair,
    year: i32,
    month: u32,
    day: u32,
    /// How much of the date the front matter gives: 0 year, 1 month, 2 day.
    precision: u8,
    publisher: &'a str,
    /// Fixed sentences already used, so an article does not repeat itself.
    used: Vec<&'static str>,
    title: String,
    authors: Vec<String>,
}

impl<'a> Ctx<'a> {
    fn new(g: &'a Generator, mut rng: Rng) -> Ctx<'a> {
        let k = rng.below(g.pairs.len());
        let mut o = rng.below(g.pairs.len());
        if g.pairs.len() > 1 && o == k {
            o = (o + 1) % g.pairs.len();
        }
        let year = 2011 + rng.below(15) as i32;
        let month = rng.range(1, 12) as u32;
        let day = rng.range(1, 28) as u32;
        let precision = match rng.below(10) {
            0 => 0,
            1 => 1,
            _ => 2,
        };
        let publisher = PUBLISHERS[rng.below(PUBLISHERS.len())];
        Ctx {
            g,
            rng,
            pair: &g.pairs[k],
            other: &g.pairs[o],
            year,
            month,
            day,
            precision,
            publisher,
            used: Vec::new(),
            title: String::new(),
            authors: Vec::new(),
        }
    }

    fn date_field(&self) -> String {
        match self.precision {
            0 => format!("{}", self.year),
            1 => format!("{}-{:02}", self.year, self.month),
            _ => format!("{}-{:02}-{:02}", self.year, self.month, self.day),
        }
    }

    // ----- picking -------------------------------------------------------

    fn p(&mut self, percent: usize) -> bool {
        self.rng.percent(percent)
    }

    fn one<'b>(&mut self, items: &[&'b str]) -> &'b str {
        items[self.rng.below(items.len())]
    }

    /// One of `items` this article has not used yet, while there is one.
    fn fresh(&mut self, items: &[&'static str]) -> &'static str {
        let start = self.rng.below(items.len());
        let pick = (0..items.len())
            .map(|k| items[(start + k) % items.len()])
            .find(|s| !self.used.contains(s))
            .unwrap_or(items[start]);
        self.used.push(pick);
        pick
    }

    fn of<'b>(&mut self, items: &'b [String]) -> &'b str {
        &items[self.rng.below(items.len())]
    }

    fn skew<'b>(&mut self, items: &'b [String]) -> &'b str {
        &items[self.rng.skewed(items.len())]
    }

    /// The district as written: mostly its official name.
    fn d(&mut self) -> String {
        let forms = &self.pair.district_forms;
        if self.p(75) {
            forms[0].clone()
        } else {
            forms[self.rng.below(forms.len())].clone()
        }
    }

    /// The county as written: mostly its official name.
    fn c(&mut self) -> String {
        let forms = &self.pair.county_forms;
        if self.p(80) {
            forms[0].clone()
        } else {
            forms[self.rng.below(forms.len())].clone()
        }
    }

    fn beijing(&mut self) -> String {
        let forms = &self.g.municipality;
        if self.p(50) {
            forms[0].clone()
        } else {
            forms[self.rng.below(forms.len())].clone()
        }
    }

    fn yushu(&mut self) -> String {
        let forms = &self.g.prefecture;
        if self.p(30) {
            forms[0].clone()
        } else {
            forms[self.rng.below(forms.len())].clone()
        }
    }

    /// The province, named now and then before the prefecture.
    fn province(&mut self) -> String {
        let g = self.g;
        if self.p(30) {
            self.of(&g.province).to_owned()
        } else {
            String::new()
        }
    }

    fn command(&mut self) -> String {
        let g = self.g;
        if self.p(70) {
            g.command[0].clone()
        } else {
            self.of(&g.command).to_owned()
        }
    }

    fn town(&mut self) -> String {
        let pair = self.pair;
        self.of(&pair.towns).to_owned()
    }

    fn two_towns(&mut self) -> (String, String) {
        let towns = &self.pair.towns;
        let a = self.rng.below(towns.len());
        let b = (a + 1 + self.rng.below(towns.len().max(2) - 1)) % towns.len();
        (towns[a].clone(), towns[b].clone())
    }

    fn school(&mut self) -> String {
        let pair = self.pair;
        let g = self.g;
        match self.rng.below(10) {
            0 => {
                let t = self.town();
                let c = pair.county.clone();
                let kind = self.one(&["寄宿制学校", "中心幼儿园", "九年一贯制学校", "完全小学"]);
                format!("{c}{t}{kind}")
            }
            1 => self.skew(&g.pref_schools).to_owned(),
            _ => self.skew(&pair.schools).to_owned(),
        }
    }

    fn kindergarten(&mut self) -> String {
        let pair = self.pair;
        let own: Vec<&String> = pair
            .schools
            .iter()
            .filter(|s| s.ends_with("幼儿园"))
            .collect();
        if own.is_empty() || self.p(30) {
            let v = self.of(&pair.villages).to_owned();
            format!("{v}{}幼儿园", self.one(&["", "双语", "中心"]))
        } else {
            own[self.rng.below(own.len())].clone()
        }
    }

    fn hospital(&mut self) -> String {
        let pair = self.pair;
        let g = self.g;
        match self.rng.below(10) {
            0 | 1 => self.skew(&g.pref_hospitals).to_owned(),
            _ => self.skew(&pair.hospitals).to_owned(),
        }
    }

    fn bj_hospital(&mut self) -> String {
        let pair = self.pair;
        let g = self.g;
        if self.p(30) {
            self.of(&pair.district_hospitals).to_owned()
        } else {
            self.skew(&g.bj_hospitals).to_owned()
        }
    }

    fn bj_school(&mut self) -> String {
        let pair = self.pair;
        let g = self.g;
        if self.p(40) {
            self.of(&pair.district_schools).to_owned()
        } else {
            self.skew(&g.bj_schools).to_owned()
        }
    }

    fn bj_company(&mut self) -> String {
        let g = self.g;
        if self.p(15) {
            beijing_company(&mut self.rng)
        } else {
            self.skew(&g.bj_companies).to_owned()
        }
    }

    fn coop(&mut self) -> String {
        let pair = self.pair;
        if self.p(20) {
            let v = self.of(&pair.villages).to_owned();
            let product = self.one(PRODUCTS);
            format!("{v}{}{product}合作社", self.one(&["", "生态", "绿色"]))
        } else {
            self.skew(&pair.coops).to_owned()
        }
    }

    fn local_company(&mut self) -> String {
        let pair = self.pair;
        if self.p(25) {
            let b = brand(&mut self.rng);
            let g = self.g;
            let shortest = g.prefecture.iter().min_by_key(|f| f.chars().count());
            let base = match shortest {
                Some(y) if self.p(50) => strip_level(y),
                _ => pair.county_base.clone(),
            };
            format!(
                "{base}{b}{}有限公司",
                self.one(&["牦牛产业发展", "农牧业开发", "文化旅游"])
            )
        } else {
            self.of(&pair.companies).to_owned()
        }
    }

    fn county_body(&mut self) -> String {
        let pair = self.pair;
        self.of(&pair.county_bodies).to_owned()
    }

    fn district_body(&mut self) -> String {
        let pair = self.pair;
        self.of(&pair.district_bodies).to_owned()
    }

    fn han(&mut self) -> String {
        let g = self.g;
        if self.p(30) {
            han_name(&mut self.rng)
        } else {
            self.skew(&g.han_names).to_owned()
        }
    }

    fn tibetan(&mut self) -> String {
        let g = self.g;
        if self.p(30) {
            tibetan_name(&mut self.rng)
        } else {
            self.skew(&g.tibetan_names).to_owned()
        }
    }

    fn programme(&mut self) -> String {
        let g = self.g;
        self.skew(&g.programmes).to_owned()
    }

    fn sector(&mut self) -> Sector {
        SECTORS[self.rng.below(SECTORS.len())]
    }

    fn sector_word(&mut self, s: Sector) -> &'static str {
        self.one(s.words())
    }

    /// Someone with a post who may be quoted.
    fn speaker(&mut self) -> String {
        let pair = self.pair;
        let g = self.g;
        match self.rng.below(12) {
            11 => {
                let body = self.pref_body();
                let title = body_head(&body);
                let name = self.tibetan();
                format!("{body}{title}{name}")
            }
            0 | 1 => pair.officials[self.rng.below(pair.officials.len())].intro(),
            2 => pair.district_officials[self.rng.below(pair.district_officials.len())].intro(),
            3 | 4 => g.command_officials[self.rng.below(g.command_officials.len())].intro(),
            5 => {
                let h = self.hospital();
                let t = self.one(&["院长", "副院长", "党委书记"]);
                let n = self.tibetan();
                format!("{h}{t}{n}")
            }
            6 => {
                let s = self.school();
                let t = if s.ends_with("幼儿园") {
                    "园长"
                } else {
                    self.one(&["校长", "副校长", "党委书记"])
                };
                let n = if self.p(50) {
                    self.tibetan()
                } else {
                    self.han()
                };
                format!("{s}{t}{n}")
            }
            7 => {
                let c = self.bj_company();
                let t = self.one(&["总经理", "董事长", "副总经理"]);
                let n = self.han();
                format!("{c}{t}{n}")
            }
            8 => {
                let c = self.coop();
                let t = self.one(&["理事长", "负责人"]);
                let n = self.tibetan();
                format!("{c}{t}{n}")
            }
            9 => {
                let b = self.county_body();
                let t = if b.ends_with('局') {
                    "局长"
                } else {
                    "副书记"
                };
                let n = self.tibetan();
                format!("{b}{t}{n}")
            }
            _ => {
                let h = self.bj_hospital();
                let t = self.one(&["副院长", "主任医师", "护士长", "医生"]);
                let n = self.han();
                format!("{h}{t}{n}")
            }
        }
    }

    // ----- numbers and dates ---------------------------------------------

    /// Between `lo` and `hi` distinct template numbers below `templates`, in random order.
    fn cases(&mut self, templates: usize, lo: u64, hi: u64) -> Vec<usize> {
        let mut all: Vec<usize> = (0..templates).collect();
        self.rng.shuffle(&mut all);
        all.truncate(self.n(lo, hi) as usize);
        all
    }

    fn n(&mut self, lo: u64, hi: u64) -> u64 {
        self.rng.range(lo, hi)
    }

    /// A count, in Arabic or (when small) Chinese numerals.
    fn num(&mut self, lo: u64, hi: u64) -> String {
        let v = self.n(lo.max(2), hi.max(2));
        if v < 100 && self.p(30) {
            cn_count(v)
        } else {
            v.to_string()
        }
    }

    /// A count with an optional 余/多 or 近/超过 qualifier.
    fn about(&mut self, lo: u64, hi: u64) -> String {
        let v = self.n(lo.max(2), hi.max(2));
        match self.rng.below(8) {
            0 if v >= 20 => format!("{}余", v / 10 * 10),
            1 if v >= 20 => format!("{}多", v / 10 * 10),
            2 => format!("近{v}"),
            3 => format!("超过{v}"),
            _ if v < 100 && self.p(25) => cn_count(v),
            _ => v.to_string(),
        }
    }

    fn percent_figure(&mut self, lo: u64, hi: u64) -> String {
        let v = self.n(lo, hi);
        match self.rng.below(6) {
            0 => format!("百分之{}", cn_number(v)),
            1 if v < 99 => format!("{v}.{}%", self.n(1, 9)),
            _ => format!("{v}%"),
        }
    }

    fn money(&mut self, scale: Scale) -> String {
        let core = match scale {
            Scale::Small => match self.rng.below(6) {
                0 => format!("{}.{}万元", self.n(10, 990), self.n(1, 9)),
                1 => format!("{}万元", cn_number(self.n(2, 99) * 10)),
                2 => format!("{}余万元", self.n(2, 99) * 10),
                3 => format!("{}多万元", self.n(2, 99) * 10),
                _ => format!("{}万元", self.n(12, 990)),
            },
            Scale::Medium => match self.rng.below(6) {
                0 => format!("{}万元", cn_number(self.n(10, 99) * 100)),
                1 => format!("{}千万元", self.n(1, 9)),
                2 => format!("{}余万元", self.n(10, 99) * 100),
                3 => format!("{}.{}万元", self.n(1000, 9999), self.n(1, 9)),
                _ => format!("{}万元", self.n(100, 999) * 10),
            },
            Scale::Large => match self.rng.below(6) {
                0 => format!("{}亿元", cn_number(self.n(2, 9))),
                1 => format!("一点{}亿元", CN_DIGITS[self.n(1, 9) as usize]),
                2 => format!("{}亿元", self.n(1, 12)),
                _ => format!("{}.{:02}亿元", self.n(1, 9), self.n(1, 99)),
            },
            Scale::Total => match self.rng.below(4) {
                0 => format!("{}亿元", cn_number(self.n(12, 60))),
                1 => format!("{}.{}亿元", self.n(10, 59), self.n(1, 9)),
                _ => format!("{}亿元", self.n(10, 60)),
            },
        };
        let exact = !core.contains('余') && !core.contains('多');
        if exact && self.p(25) {
            let q = self.one(&["近", "约", "超过", "逾", "超", "将近", "不到"]);
            format!("{q}{core}")
        } else {
            core
        }
    }

    fn any_money(&mut self) -> String {
        let scale = match self.rng.below(10) {
            0..=3 => Scale::Small,
            4..=8 => Scale::Medium,
            _ => Scale::Large,
        };
        self.money(scale)
    }

    /// A past year the article may report on.
    fn past_year(&mut self) -> i32 {
        let earliest = (self.year - 6).max(2010);
        earliest + self.rng.below((self.year - earliest + 1) as usize) as i32
    }

    /// A date phrase, absolute or relative to the article date.
    fn date(&mut self) -> String {
        let y = self.past_year();
        let m = self.n(1, 12);
        let day = self.n(1, 28);
        match self.rng.below(9) {
            0 | 1 => format!("{y}年"),
            2 | 3 => format!("{y}年{m}月"),
            4 | 5 => format!("{y}年{m}月{day}日"),
            6 if self.month > 1 => format!("今年{}月", self.n(1, u64::from(self.month - 1))),
            7 if self.year > 2010 => format!("去年{m}月"),
            8 => format!("{m}月{day}日"),
            _ => format!("{y}年{m}月"),
        }
    }

    /// A stretch of time up to now (十四年来, 近年来).
    fn span(&mut self) -> String {
        let years = (self.year - 2010).max(1) as u64;
        match self.rng.below(5) {
            0 if years >= 2 => format!("{}年来", cn_number(years)),
            1 if years >= 4 => format!("近{}年来", cn_number(self.n(3, years.min(5)))),
            2 => "近年来".to_owned(),
            3 => "多年来".to_owned(),
            _ => format!("{}年以来", 2010 + self.rng.below(years as usize) as i32),
        }
    }

    // ----- sentences -----------------------------------------------------

    fn purpose(&mut self, s: Sector) -> String {
        match s {
            Sector::Education => match self.rng.below(4) {
                0 => format!("用于{}教学楼改扩建", self.school()),
                1 => format!("支持{}学前教育和义务教育发展", self.c()),
                2 => format!("为{}购置教学设备", self.school()),
                _ => format!("开展教师培训{}人次", self.about(80, 3000)),
            },
            Sector::Medical => match self.rng.below(4) {
                0 => format!("用于{}住院楼和医技楼建设", self.hospital()),
                1 => format!("支持{}建设胸痛中心和卒中中心", self.hospital()),
                2 => "为乡镇卫生院配备医疗设备".to_owned(),
                _ => format!("开展远程会诊{}例", self.about(30, 2000)),
            },
            Sector::Industry => match self.rng.below(4) {
                0 => format!(
                    "支持{}等{}家合作社发展{}",
                    self.coop(),
                    self.num(3, 30),
                    self.one(PRODUCTS)
                ),
                1 => format!("建设{}农畜产品加工园区", self.c()),
                2 => format!("支持{}在当地建设生产基地", self.bj_company()),
                _ => "推动牦牛、藏系羊等特色产业提质增效".to_owned(),
            },
            Sector::Employment => match self.rng.below(3) {
                0 => "开展职业技能培训，帮助农牧民转移就业".to_owned(),
                1 => format!("开发公益性岗位{}个", self.num(20, 900)),
                _ => format!("组织{}名高校毕业生赴京就业", self.num(10, 300)),
            },
            Sector::Infrastructure => match self.rng.below(3) {
                0 => format!("修建乡村道路{}公里", self.about(5, 260)),
                1 => format!("实施{}供水工程", self.town()),
                _ => format!("改造老旧小区{}个", self.num(2, 40)),
            },
            Sector::Housing => match self.rng.below(2) {
                0 => "实施易地搬迁和危房改造".to_owned(),
                _ => format!("建设安置住房{}套", self.about(50, 2500)),
            },
            Sector::Tourism => match self.rng.below(2) {
                0 => format!("打造{}旅游示范村", self.town()),
                _ => "建设游客服务中心和自驾车营地".to_owned(),
            },
            Sector::Talent => match self.rng.below(2) {
                0 => format!("培训当地干部人才{}人次", self.about(100, 5000)),
                _ => "选派专业技术人才开展传帮带".to_owned(),
            },
            Sector::Ecology => match self.rng.below(2) {
                0 => format!("治理退化草场{}万亩", self.n(2, 90)),
                _ => "开展人居环境整治和垃圾处理设施建设".to_owned(),
            },
        }
    }

    fn funding_sentence(&mut self) -> String {
        let s = self.sector();
        let sw = self.sector_word(s);
        match self.rng.below(12) {
            0 => format!(
                "{}年，{}安排{sw}资金{}，{}。",
                self.past_year(),
                self.d(),
                self.any_money(),
                self.purpose(s)
            ),
            1 => format!(
                "{}，{}向{}拨付{sw}帮扶资金{}，主要用于{}。",
                self.date(),
                self.d(),
                self.c(),
                self.any_money(),
                self.purpose(s)
            ),
            2 => format!(
                "{}{}年投入{sw}领域资金{}，实施项目{}个，{}。",
                self.d(),
                self.past_year(),
                self.any_money(),
                self.num(2, 60),
                self.purpose(s)
            ),
            3 => {
                let s2 = self.sector();
                format!(
                    "{}年，北京市对口支援资金安排{}{}，其中{}方面{}。",
                    self.past_year(),
                    self.c(),
                    self.money(Scale::Large),
                    self.sector_word(s2),
                    self.money(Scale::Medium)
                )
            }
            4 => format!(
                "{}，{}累计投入资金{}，帮助{}{}。",
                self.span(),
                self.d(),
                self.money(Scale::Large),
                self.c(),
                self.purpose(s)
            ),
            5 => {
                let year = self.past_year();
                let amount = self.any_money();
                let n = self.num(3, 60);
                let who = self.g.command_officials[self.rng.below(self.g.command_officials.len())]
                    .intro();
                format!(
                    "“{year}年，我们安排资金{amount}，实施项目{n}个，{sw}项目推进有力有序。”{who}介绍说。"
                )
            }
            6 => {
                let what = if self.p(50) {
                    self.school()
                } else {
                    self.hospital()
                };
                format!(
                    "总投资{}的{what}于{}正式投入使用，{}。",
                    self.money(Scale::Medium),
                    self.date(),
                    self.one(&[
                        "极大改善了当地群众的生产生活条件",
                        "填补了当地多项空白",
                        "可满足周边农牧民的需求"
                    ])
                )
            }
            7 => {
                let s2 = self.sector();
                format!(
                    "{}与{}召开对口支援联席会议，确定{}年安排援助资金{}，重点支持{}和{}。",
                    self.d(),
                    self.c(),
                    self.year + i32::from(self.p(30)),
                    self.money(Scale::Medium),
                    sw,
                    self.sector_word(s2)
                )
            }
            8 => format!(
                "据了解，{}年北京援{}资金达到{}，较上年增长{}。",
                self.past_year(),
                self.pair.county_base,
                self.money(Scale::Medium),
                self.percent_figure(3, 40)
            ),
            9 => {
                let donor = if self.p(50) {
                    let g = self.g;
                    self.of(&g.bj_organizations).to_owned()
                } else {
                    self.bj_company()
                };
                format!(
                    "{}，{donor}向{}捐赠{sw}物资和资金共计{}。",
                    self.date(),
                    self.c(),
                    self.money(Scale::Small)
                )
            }
            10 => format!(
                "为支持{}{sw}发展，{}筹措资金{}，{}。",
                self.c(),
                self.d(),
                self.any_money(),
                self.purpose(s)
            ),
            _ => {
                let other = self.other;
                format!(
                    "同年，{}也向{}安排{sw}资金{}，实施项目{}个。",
                    other.district,
                    other.county,
                    self.money(Scale::Medium),
                    self.num(2, 40)
                )
            }
        }
    }

    fn intro(&mut self) -> String {
        let mut s = match self.rng.below(4) {
            0 => format!(
                "{}，{}与{}结成对口支援对子，{}，",
                self.span(),
                self.d(),
                self.c(),
                self.fresh(FOCUSES)
            ),
            1 => {
                let g = self.g;
                let y = self.yushu();
                let province = if g.province.iter().any(|f| y.starts_with(f.as_str())) {
                    String::new()
                } else {
                    self.province()
                };
                format!(
                    "按照{}对口支援{province}{y}的总体安排，{}对口支援{}。{}，",
                    self.beijing(),
                    self.d(),
                    self.c(),
                    self.span()
                )
            }
            2 => format!(
                "{}自2010年起对口帮扶{}，{}，",
                self.d(),
                self.c(),
                self.fresh(FOCUSES)
            ),
            _ => format!(
                "{}，{}全市{}个区与{}一市五县结成对子，其中{}对口支援{}，",
                self.span(),
                self.beijing(),
                self.g.pairs.len(),
                self.yushu(),
                self.d(),
                self.c()
            ),
        };
        s.push_str(&match self.rng.below(3) {
            0 => format!(
                "先后派出{}批{}名援青干部人才，实施援建项目{}个，有力推动了当地经济社会发展。",
                self.num(2, 6),
                self.about(20, 400),
                self.num(10, 400)
            ),
            1 => format!(
                "累计投入帮扶资金{}，惠及群众{}万人。",
                self.money(Scale::Large),
                self.n(1, 12)
            ),
            _ => "不断推进对口支援工作提质增效，全面助力当地各项事业发展。".to_owned(),
        });
        if self.p(30) {
            let prefix = format!("{}讯 ", self.publisher);
            s.insert_str(0, &prefix);
        }
        s
    }

    fn pref_body(&mut self) -> String {
        let g = self.g;
        self.skew(&g.pref_bodies).to_owned()
    }

    fn bj_body(&mut self) -> String {
        let g = self.g;
        self.skew(&g.bj_bodies).to_owned()
    }

    /// Bodies of the two sides working together.
    fn coordination(&mut self) -> String {
        let mut out = match self.rng.below(3) {
            0 => format!(
                "{}，{}与{}召开{}工作对接会，双方就{}达成共识。",
                self.date(),
                if self.p(50) {
                    self.district_body()
                } else {
                    self.bj_body()
                },
                if self.p(50) {
                    self.county_body()
                } else {
                    self.pref_body()
                },
                self.one(&["教育帮扶", "医疗帮扶", "产业合作", "劳务协作", "消费帮扶"]),
                self.one(&["下一阶段重点任务", "项目资金安排", "干部人才选派"])
            ),
            1 => format!(
                "在{}的协调下，{}与{}签订对口帮扶协议，派驻专家{}名。",
                self.bj_body(),
                self.bj_hospital(),
                self.hospital(),
                self.num(3, 30)
            ),
            _ => {
                let g = self.g;
                let qh = self.of(&g.qh_institutions).to_owned();
                format!(
                    "{}与{qh}签署合作协议，计划{}年内为{}培养{}人才{}名。",
                    if self.p(50) {
                        self.bj_school()
                    } else {
                        self.bj_hospital()
                    },
                    self.num(2, 5),
                    self.yushu(),
                    self.one(&["医学", "师范", "农牧", "旅游管理"]),
                    self.about(30, 500)
                )
            }
        };
        if self.p(50) {
            let who = {
                let body = self.bj_body();
                let title = body_head(&body);
                let name = self.han();
                format!("{body}{title}{name}")
            };
            let statement = self.fresh(STATEMENTS);
            out.push_str(&format!("{who}表示，{statement}。"));
        }
        out
    }

    fn pairings_overview(&mut self) -> String {
        let pairs = &self.g.pairs;
        let districts: Vec<&str> = pairs.iter().map(|p| p.district.as_str()).collect();
        let counties: Vec<&str> = pairs.iter().map(|p| p.county.as_str()).collect();
        format!(
            "按照{}对口支援{}的结对安排，{}分别对口支援{}。{}",
            self.beijing(),
            self.yushu(),
            districts.join("、"),
            counties.join("、"),
            self.one(&[
                "各区与受援地建立了常态化的沟通协调机制。",
                "六个区轮流组织干部赴玉树挂职锻炼。",
                ""
            ])
        )
    }

    fn funding_paragraph(&mut self) -> String {
        let mut out = String::new();
        for _ in 0..self.n(1, 3) {
            out.push_str(&self.funding_sentence());
        }
        if self.p(40) {
            let s = self.fresh(STATEMENTS);
            out.push_str(s);
            out.push('。');
        }
        out
    }

    fn medical(&mut self) -> String {
        let mut parts = Vec::new();
        parts.push(match self.rng.below(3) {
            0 => format!(
                "在北京援青“组团式”帮扶下，{}成功完成全州首例{}。",
                self.hospital(),
                self.one(&[
                    "血管介入手术",
                    "腹腔镜手术",
                    "白内障复明手术",
                    "心脏起搏器植入术"
                ])
            ),
            1 => format!(
                "{}组织{}等{}家医院对口帮扶{}，先后派出{}批{}名医疗专家。",
                self.d(),
                self.bj_hospital(),
                self.num(2, 9),
                self.hospital(),
                self.num(2, 12),
                self.about(10, 300)
            ),
            _ => format!(
                "医疗帮扶是改善民生的重要环节，{}持续推进{}，帮扶{}建设重点专科{}个。",
                self.d(),
                self.programme(),
                self.hospital(),
                self.num(2, 12)
            ),
        });
        for case in self.cases(5, 1, 3) {
            parts.push(match case {
                0 => format!(
                    "{}全年门急诊量达{}人次，开展手术{}例。",
                    self.hospital(),
                    self.about(2000, 90000),
                    self.about(50, 3000)
                ),
                1 => format!(
                    "北京专家累计开展新技术新项目{}项，带教本地医务人员{}名。",
                    self.num(5, 120),
                    self.about(20, 600)
                ),
                2 => format!(
                    "{}转诊率降至{}以下，急危重症抢救成功率达到{}以上。",
                    self.hospital(),
                    self.percent_figure(10, 35),
                    self.percent_figure(85, 98)
                ),
                3 => format!(
                    "{}副院长{}，{}来到玉树，挂职{}院长。",
                    self.bj_hospital(),
                    self.han(),
                    self.date(),
                    self.hospital()
                ),
                _ => format!(
                    "“{}。”{}牧民{}说。",
                    self.fresh(PATIENT_QUOTES),
                    self.town(),
                    self.tibetan()
                ),
            });
        }
        parts.concat()
    }

    fn education(&mut self) -> String {
        let mut parts = Vec::new();
        parts.push(match self.rng.below(3) {
            0 => format!(
                "在教育帮扶上，{}安排资金{}，扎实推进{}，落实“双向组团”培养。",
                self.d(),
                self.any_money(),
                self.programme()
            ),
            1 => format!(
                "{}与{}结成帮扶对子，双方教师通过线上教研开展同课异构，每位北京教师与{}至{}名当地教师结成师徒。",
                self.school(),
                self.bj_school(),
                self.n(2, 3),
                self.n(4, 6)
            ),
            _ => format!(
                "{}选派{}名骨干教师到{}支教，开展{}。",
                self.d(),
                self.num(5, 80),
                self.school(),
                self.programme()
            ),
        });
        for case in self.cases(5, 1, 3) {
            parts.push(match case {
                0 => format!(
                    "{}现有在校学生{}名，教职工{}名。",
                    self.school(),
                    self.about(300, 4000),
                    self.num(30, 300)
                ),
                1 => format!(
                    "{}高考本科上线率达到{}，较上年提高{}个百分点。",
                    self.c(),
                    self.percent_figure(20, 70),
                    self.n(2, 9)
                ),
                2 => format!(
                    "新建{}等{}所幼儿园，新增学位{}个。",
                    self.kindergarten(),
                    self.num(2, 20),
                    self.about(200, 3000)
                ),
                3 => format!(
                    "{}{}组织{}名教师赴北京跟岗研修，为期{}个月。",
                    self.pair.district,
                    self.one(&["教委", "教育科学研究院"]),
                    self.num(10, 80),
                    self.num(2, 6)
                ),
                _ => {
                    let school = self.school();
                    let head = if school.ends_with("幼儿园") {
                        "园长"
                    } else {
                        "校长"
                    };
                    format!(
                        "{school}{head}{}表示，{}。",
                        self.tibetan(),
                        self.fresh(STATEMENTS)
                    )
                }
            });
        }
        parts.concat()
    }

    fn industry(&mut self) -> String {
        let mut parts = Vec::new();
        for case in self.cases(6, 2, 4) {
            parts.push(match case {
                0 => format!(
                    "{}在{}的帮扶下发展{}，吸纳当地{}名农牧民就业，年人均增收{}元。",
                    self.coop(),
                    self.d(),
                    self.one(PRODUCTS),
                    self.num(8, 200),
                    self.n(20, 120) * 100
                ),
                1 => format!(
                    "{}与{}签订合作协议，签约金额{}。",
                    self.bj_company(),
                    self.c(),
                    self.any_money()
                ),
                2 => format!(
                    "依托消费帮扶，{}牦牛肉、青稞等农畜产品走进北京{}家超市，销售额达{}。",
                    self.c(),
                    self.num(5, 300),
                    self.money(Scale::Medium)
                ),
                3 => format!(
                    "{}在{}投资{}建设{}加工厂，建成后可带动{}户牧民增收。",
                    self.bj_company(),
                    self.c(),
                    if self.p(50) {
                        self.money(Scale::Small)
                    } else {
                        self.money(Scale::Medium)
                    },
                    self.one(&["牦牛肉", "乳制品", "青稞", "藏毯"]),
                    self.about(50, 1500)
                ),
                4 => format!(
                    "{}年，{}与{}合作，{}实现产值{}，同比增长{}。",
                    self.past_year(),
                    self.local_company(),
                    self.bj_company(),
                    self.one(&["全年", "当年", "企业"]),
                    self.money(Scale::Medium),
                    self.percent_figure(5, 60)
                ),
                _ => format!(
                    "在{}的支持下，{}举办职业技能培训班{}期，培训农牧民{}人次，实现转移就业{}人。",
                    self.d(),
                    self.c(),
                    self.num(2, 40),
                    self.about(100, 5000),
                    self.num(20, 900)
                ),
            });
        }
        parts.concat()
    }

    fn infrastructure(&mut self) -> String {
        let mut parts = Vec::new();
        for case in self.cases(5, 1, 3) {
            parts.push(match case {
                0 => {
                    let (t1, t2) = self.two_towns();
                    format!(
                        "{}援建的{}{t1}至{t2}公路全长{}公里，总投资{}，于{}建成通车。",
                        self.d(),
                        self.c(),
                        self.about(8, 120),
                        self.any_money(),
                        self.date()
                    )
                }
                1 => format!(
                    "{}新建集中供水点{}个，让{}万群众和{}万多头牲畜喝上了放心水。",
                    self.c(),
                    self.num(20, 400),
                    self.n(1, 12),
                    self.n(1, 9)
                ),
                2 => format!(
                    "{}，{}{}安置小区建成交付，{}户牧民搬进新居，小区总建筑面积{}平方米。",
                    self.date(),
                    self.c(),
                    self.town(),
                    self.about(40, 900),
                    self.n(30, 900) * 100
                ),
                3 => {
                    let (t1, t2) = self.two_towns();
                    format!(
                        "{}{}至{}的道路改造工程正在开展前期工作，项目估算{}，预计{}年底完工。",
                        self.c(),
                        t1,
                        t2,
                        self.money(Scale::Medium),
                        self.year + 1
                    )
                }
                _ => format!(
                    "改造老旧小区{}个，铺设供暖管网{}公里，惠及居民{}户。",
                    self.num(2, 30),
                    self.about(3, 80),
                    self.about(200, 6000)
                ),
            });
        }
        parts.concat()
    }

    fn quote(&mut self) -> String {
        match self.rng.below(5) {
            0 => format!("“{}。”{}说。", self.fresh(QUOTES), self.speaker()),
            1 => format!("{}介绍，{}。", self.speaker(), self.fresh(STATEMENTS)),
            2 => format!("在{}看来，{}。", self.speaker(), self.fresh(STATEMENTS)),
            3 => {
                let hospital = self.hospital();
                let title = self.one(&["院长", "副院长", "科室主任", "护士长"]);
                let name = self.tibetan();
                format!(
                    "“{}，今年以来已接诊患者{}人次。”{hospital}{title}{name}说。",
                    self.fresh(QUOTES),
                    self.about(200, 9000)
                )
            }
            _ => format!(
                "{}{}牧民{}告诉记者：“{}。”",
                self.c(),
                self.town(),
                self.tibetan(),
                self.fresh(QUOTES)
            ),
        }
    }

    /// When the `n`-th edition of a recurring event was held: the same in
    /// every article that reports it, as in real reports.
    fn edition_date(&self, name: &str, n: u64) -> (u64, u64, u64) {
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for b in name.bytes() {
            h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
        let h = mix64(h ^ n);
        (2010 + n, 1 + h % 12, 1 + (h >> 8) % 28)
    }

    fn event(&mut self) -> String {
        let place = match self.rng.below(4) {
            0 => "西宁".to_owned(),
            1 => "北京".to_owned(),
            2 => self.d(),
            _ => self.c(),
        };
        // Recurring events carry their edition (第N次, 第N届) and one date.
        let n = 1 + self.rng.below(14) as u64;
        match self.rng.below(4) {
            0 => {
                let name = format!(
                    "{}—{}对口支援工作第{}次联席会议",
                    self.pair.district,
                    self.pair.county,
                    cn_number(n)
                );
                let (y, m, d) = self.edition_date(&name, n);
                format!(
                    "{y}年{m}月{d}日，{name}在{place}召开，双方就{}等工作进行了深入交流。",
                    self.one(&["产业合作、人才交流", "教育医疗帮扶", "消费帮扶和劳务协作"])
                )
            }
            1 => {
                let name = format!(
                    "第{}届北京—玉树{}推介会",
                    cn_number(n),
                    self.one(&["农畜产品", "文化旅游", "招商引资", "消费帮扶"])
                );
                let (y, m, d) = self.edition_date(&name, n);
                format!(
                    "{y}年{m}月{d}日，{name}在{place}举行，{}、{}等{}家企业与{}签订合作协议，签约总意向金额达{}。",
                    self.bj_company(),
                    self.bj_company(),
                    self.num(5, 60),
                    self.c(),
                    self.money(Scale::Large)
                )
            }
            2 => {
                let name = format!(
                    "首届{}{}文化节",
                    self.pair.county_base,
                    self.one(&["黑青稞", "格萨尔", "牦牛", "民族手工艺", "赛马"])
                );
                let (y, m, d) = self.edition_date(&name, n);
                format!(
                    "{y}年{m}月{d}日，{name}在{}开幕，吸引游客{}人次。",
                    self.town(),
                    self.about(1000, 80000)
                )
            }
            _ => {
                let who = self.pair.district_officials[0].intro();
                format!(
                    "{}，{who}率{}党政代表团赴{}考察对接，两地召开对口支援工作座谈会，签署{}合作框架协议。",
                    self.date(),
                    self.pair.district,
                    self.c(),
                    self.one(&["产业", "文旅", "教育", "医疗"])
                )
            }
        }
    }

    fn programme_paragraph(&mut self) -> String {
        let first = match self.rng.below(4) {
            0 => format!("{}在{}深入推进{}，", self.d(), self.c(), self.programme()),
            1 => format!("{}，{}启动{}，", self.date(), self.d(), self.programme()),
            2 => format!(
                "{}全面推行{}，同时加快{}实施进程，",
                self.c(),
                self.programme(),
                self.programme()
            ),
            _ => format!(
                "医、教“组团式”帮扶是改善民生的重要抓手，{}持续实施{}，",
                self.d(),
                self.programme()
            ),
        };
        let second = match self.rng.below(4) {
            0 => format!("累计培训各类人才{}人次。", self.about(100, 8000)),
            1 => format!("覆盖{}所有乡镇和{}个行政村。", self.c(), self.num(20, 120)),
            2 => format!("已有{}名学生从中受益。", self.about(100, 6000)),
            _ => "受到当地干部群众的广泛好评。".to_owned(),
        };
        format!("{first}{second}")
    }

    fn noise(&mut self) -> String {
        let mut out = String::new();
        for _ in 0..self.n(1, 4) {
            out.push_str(self.fresh(NOISE));
        }
        out
    }

    fn summary(&mut self) -> String {
        match self.rng.below(3) {
            0 => format!(
                "据统计，{}北京市累计向{}投入对口支援资金{}，实施援建项目{}个，先后选派{}批{}名援青干部人才。",
                self.span(),
                self.yushu(),
                self.money(Scale::Total),
                self.about(100, 1200),
                self.num(2, 6),
                self.about(50, 400)
            ),
            1 => {
                let s = self.sector();
                format!(
                    "截至{}年底，{}累计向{}拨付对口支援资金{}，实施项目{}个，其中{}项目{}个。",
                    self.year - 1,
                    self.d(),
                    self.c(),
                    self.money(Scale::Large),
                    self.num(20, 300),
                    self.sector_word(s),
                    self.num(3, 20)
                )
            }
            _ => format!(
                "{}，{}在{}、{}等领域累计投入资金{}，落地项目{}个，帮助{}超过{}万群众受益。",
                self.span(),
                self.beijing(),
                self.one(&["产业发展", "民生保障", "生态保护"]),
                self.one(&["教育医疗", "基础设施", "人才交流"]),
                self.money(Scale::Total),
                self.num(30, 1100),
                self.yushu(),
                self.n(2, 19)
            ),
        }
    }

    fn headline(&mut self) -> String {
        match self.rng.below(6) {
            0 => format!(
                "{}对口支援{}：{}",
                self.pair.district,
                self.pair.county,
                self.one(SLOGANS)
            ),
            1 => format!("京玉情深 {}", self.one(SLOGANS)),
            2 => format!(
                "{}年{}援助{}资金达{}",
                self.year - 1,
                self.pair.district,
                self.pair.county,
                self.money(Scale::Large)
            ),
            3 => format!(
                "{}——{}对口支援{}工作纪实",
                self.one(SLOGANS),
                self.pair.district,
                self.pair.county
            ),
            4 => format!("【{}】{}", self.one(COLUMNS), self.one(SLOGANS)),
            _ => format!("{}：{}", self.pair.county, self.one(SLOGANS)),
        }
    }

    /// The article's text: headline, paragraphs, and a trailer.
    fn body(&mut self) -> String {
        self.title = self.headline();
        let sep = if self.p(50) { "\n" } else { "\n\n" };
        // Most reports are short news items (one visit, one signing, one
        // allocation, much of it background); about one in four is a long
        // feature or overview like the seed article. The mix sets the
        // density of facts, calibrated to about 100 to 150 quads per article.
        let brief = self.p(75);
        let min_body = if brief { BRIEF_MIN_BODY } else { MIN_BODY };
        let target = if brief {
            BRIEF_MIN_BODY + self.rng.below(900) + self.rng.below(600)
        } else {
            (MIN_BODY
                + self.rng.below(3000)
                + self.rng.below(2200)
                + if self.p(15) { self.rng.below(6000) } else { 0 })
            .min(MAX_BODY)
        };
        let mut paragraphs: Vec<String> = Vec::new();
        if self.p(15) {
            let cmd = self.command();
            paragraphs.push(format!(
                "{}。{cmd}供图",
                self.one(&["专家手把手教学", "援青干部走访牧户", "孩子们在新教室里上课"])
            ));
        }
        paragraphs.push(self.intro());
        if brief {
            paragraphs.push(self.noise());
        } else {
            paragraphs.push(self.funding_paragraph());
        }
        let mut len: usize = paragraphs.iter().map(|p| p.len() + sep.len()).sum();
        let mut last_heading = true;
        while len < target {
            let p = match self.rng.below(100) {
                _ if brief && self.p(60) => self.noise(),
                0..=15 => self.funding_paragraph(),
                16..=31 => self.medical(),
                32..=43 => self.education(),
                44..=55 => self.industry(),
                56..=63 => self.infrastructure(),
                64..=73 => self.quote(),
                74..=80 => self.event(),
                81..=85 => self.programme_paragraph(),
                86..=88 => self.coordination(),
                89..=92 => self.noise(),
                93..=95 => self.summary(),
                96..=97 if !last_heading => self.fresh(HEADINGS).to_owned(),
                _ => self.pairings_overview(),
            };
            last_heading = p.ends_with("——");
            if len + p.len() > MAX_BODY && len >= min_body {
                break;
            }
            len += p.len() + sep.len();
            paragraphs.push(p);
            if self.p(12) {
                let n = self.noise();
                len += n.len() + sep.len();
                paragraphs.push(n);
            }
        }
        if self.p(8) {
            let k = 1 + self.rng.below(paragraphs.len());
            let notice = self.one(NOTICES).to_owned();
            paragraphs.insert(k.min(paragraphs.len()), notice);
        }
        let mut text = String::with_capacity(len + 512);
        text.push_str(&self.title);
        text.push('\n');
        if sep.len() > 1 {
            text.push('\n');
        }
        text.push_str(&paragraphs.join(sep));
        text.push('\n');
        // Trailer: byline, outlet, site boilerplate.
        if self.p(40) {
            let a = self.han();
            let mut b = self.han();
            if b == a {
                b = han_name(&mut self.rng);
            }
            text.push_str(&format!("({a} {b})\n"));
            if self.p(50) {
                self.authors = vec![a, b];
            }
        }
        if self.p(40) {
            text.push_str(&format!("({})\n", self.publisher));
        }
        if self.p(15) {
            text.push_str("友情提示\n本站部分转载文章，皆来自互联网，仅供参考及分享，并不用于任何商业用途；版权归原作者所有。\n");
        }
        text
    }
}

/// Writes, as N-Quads, every quad a build of the synthetic articles
/// `range` would load (ontology, reference, articles), converting them in
/// parallel rounds; returns the number of quads. Duplicates of shared facts
/// are written as a build would hand them to the loader.
pub fn nquads(
    reference: &Reference,
    generator: &Generator,
    range: std::ops::Range<usize>,
    out: &mut dyn std::io::Write,
) -> anyhow::Result<usize> {
    use rayon::prelude::*;
    use yushu_kg::extract::Extractor;
    use yushu_kg::rdf::{map, ontology};
    use yushu_kg::source::article::Article;

    /// Articles converted per parallel round.
    const CHUNK: usize = 256;

    let extractor = Extractor::new(reference);
    let reference_context = map::reference_context(reference);
    let mut n = 0;
    let mut write = |quads: &[oxigraph::model::Quad]| -> std::io::Result<()> {
        for q in quads {
            writeln!(out, "{q} .")?;
        }
        n += quads.len();
        Ok(())
    };
    let mut fixed = ontology::quads()?;
    fixed.extend(map::reference_quads(reference));
    write(&fixed)?;
    let indices: Vec<usize> = range.collect();
    for chunk in indices.chunks(CHUNK) {
        let round: Vec<anyhow::Result<Vec<oxigraph::model::Quad>>> = chunk
            .par_iter()
            .map(|&i| {
                let path = std::path::PathBuf::from(format!("{}.txt", generator.id(i)));
                let article = Article::parse(&path, generator.article(i).as_bytes())?;
                let x = extractor.extract(&article);
                Ok(map::article_quads(&article, &x, &reference_context))
            })
            .collect();
        for quads in round {
            write(&quads?)?;
        }
    }
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;
    use std::path::Path;
    use yushu_kg::extract::Extractor;
    use yushu_kg::facts::EntityKind;
    use yushu_kg::source::article::Article;

    fn reference() -> Reference {
        Reference::read(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/reference"))
            .expect("reference data")
    }

    fn parse(text: &str) -> Article {
        Article::parse(Path::new("synth.txt"), text.as_bytes()).expect("article parses")
    }

    #[test]
    fn splitmix_is_the_reference_sequence() {
        // First outputs of SplitMix64 seeded with 0 (Vigna's splitmix64.c).
        let mut r = Rng { state: 0 };
        assert_eq!(r.next_u64(), 0xE220_A839_7B1D_CDAF);
        assert_eq!(r.next_u64(), 0x6E78_9E6A_A1B9_65F4);
    }

    #[test]
    fn chinese_numerals_read_back() {
        use yushu_kg::recognize::numbers::parse_number;
        for n in [
            2, 10, 12, 20, 99, 100, 105, 110, 1000, 1005, 3500, 9999, 10_000, 10_012, 20_500,
            123_456,
        ] {
            let text = cn_number(n);
            let back = parse_number(&text).map(|d| d.to_string());
            assert_eq!(back, Some(n.to_string()), "{n} → {text}");
        }
    }

    #[test]
    fn same_seed_and_index_give_the_same_text() {
        let r = reference();
        let a = Generator::new(&r, 7);
        let b = Generator::new(&r, 7);
        let c = Generator::new(&r, 8);
        for i in [0, 1, 17, 999] {
            assert_eq!(a.article(i), b.article(i));
            assert_ne!(a.article(i), c.article(i));
            assert_ne!(a.article(i), a.article(i + 1));
        }
        // Order does not matter.
        let forward: Vec<String> = (0..5).map(|i| a.article(i)).collect();
        let backward: Vec<String> = (0..5).rev().map(|i| a.article(i)).collect();
        assert!(forward.iter().eq(backward.iter().rev()));
    }

    #[test]
    fn ids_are_unique_and_in_the_front_matter() {
        let r = reference();
        let g = Generator::new(&r, 0xabc);
        let ids: BTreeSet<String> = (0..2000).map(|i| g.id(i)).collect();
        assert_eq!(ids.len(), 2000);
        assert_eq!(g.id(42), "synth-abc-000042");
        let a = parse(&g.article(42));
        assert_eq!(a.id, "synth-abc-000042");
    }

    #[test]
    fn every_article_parses_with_its_metadata() {
        let r = reference();
        let g = Generator::new(&r, 1);
        for i in 0..200 {
            let text = g.article(i);
            let a = parse(&text);
            assert_eq!(a.id, g.id(i));
            assert!(!a.title.is_empty());
            assert!(a.publisher.is_some());
            assert!(a.date.is_some());
            assert_eq!(a.language, "zh");
            assert!(a.paragraphs().len() >= 2, "{text}");
            assert!(
                text.len() > 700 && text.len() < 13_000,
                "{i}: {} bytes",
                text.len()
            );
        }
    }

    #[test]
    fn extreme_seeds_and_indices_work() {
        let r = reference();
        for seed in [0, u64::MAX] {
            let g = Generator::new(&r, seed);
            for i in [0, usize::MAX] {
                assert_eq!(parse(&g.article(i)).id, g.id(i));
            }
        }
    }

    #[test]
    fn works_without_pairings_or_organisations() {
        let mut r = reference();
        r.pairings.clear();
        r.organizations.clear();
        let g = Generator::new(&r, 3);
        for i in 0..20 {
            parse(&g.article(i));
        }
    }

    /// Per-article averages of what the extractor finds in `n` articles.
    struct Yield {
        bytes: usize,
        entities: usize,
        fundings: usize,
        observations: usize,
        positions: usize,
        relations: usize,
        events: usize,
        kinds: BTreeSet<EntityKind>,
        people: usize,
        org_kinds: BTreeSet<EntityKind>,
    }

    fn measure(seed: u64, n: usize) -> Yield {
        let r = reference();
        let g = Generator::new(&r, seed);
        let ex = Extractor::new(&r);
        let mut y = Yield {
            bytes: 0,
            entities: 0,
            fundings: 0,
            observations: 0,
            positions: 0,
            relations: 0,
            events: 0,
            kinds: BTreeSet::new(),
            people: 0,
            org_kinds: BTreeSet::new(),
        };
        for i in 0..n {
            let text = g.article(i);
            y.bytes += text.len();
            let x = ex.extract(&parse(&text));
            y.entities += x.entities.len();
            y.fundings += x.fundings.len();
            y.observations += x.observations.len();
            y.positions += x.positions.len();
            y.relations += x.relations.len();
            y.events += x.events.len();
            for e in x.entities.values() {
                y.kinds.insert(e.kind);
                if e.kind == EntityKind::Person {
                    y.people += 1;
                }
                if e.kind.is_organization() && !e.from_reference {
                    y.org_kinds.insert(e.kind);
                }
            }
        }
        y
    }

    #[test]
    fn the_extractor_finds_facts_in_generated_articles() {
        // Around half of what 1000 articles give on average (see corpus_statistics).
        let n = 50;
        let y = measure(2024, n);
        assert!(y.fundings >= 2 * n, "fundings: {}", y.fundings);
        assert!(y.observations >= 5 * n, "observations: {}", y.observations);
        assert!(y.entities >= 8 * n, "entities: {}", y.entities);
        assert!(y.people >= n, "people: {}", y.people);
        assert!(y.positions >= n, "positions: {}", y.positions);
        assert!(y.relations >= 2 * n, "relations: {}", y.relations);
        assert!(y.events >= n / 4, "events: {}", y.events);
        for kind in [
            EntityKind::District,
            EntityKind::County,
            EntityKind::Hospital,
            EntityKind::School,
            EntityKind::Company,
            EntityKind::GovernmentBody,
            EntityKind::Program,
            EntityKind::Person,
            EntityKind::Event,
        ] {
            assert!(y.kinds.contains(&kind), "no {kind:?} found: {:?}", y.kinds);
        }
        // Organisations no gazetteer lists, found by their head word.
        for kind in [
            EntityKind::Hospital,
            EntityKind::School,
            EntityKind::Company,
            EntityKind::GovernmentBody,
        ] {
            assert!(
                y.org_kinds.contains(&kind),
                "no new {kind:?}: {:?}",
                y.org_kinds
            );
        }
    }

    /// `cargo test --lib synth::tests::corpus_statistics -- --ignored --nocapture`
    #[test]
    #[ignore = "measurement, prints statistics"]
    fn corpus_statistics() {
        let r = reference();
        let g = Generator::new(&r, 1);
        let sizes: Vec<usize> = (0..1000).map(|i| g.article(i).len()).collect();
        let total: usize = sizes.iter().sum();
        eprintln!(
            "1000 articles: mean {} bytes, min {}, max {}",
            total / 1000,
            sizes.iter().min().copied().unwrap_or(0),
            sizes.iter().max().copied().unwrap_or(0)
        );
        let n = 1000;
        let y = measure(1, n);
        let per = |v: usize| v as f64 / n as f64;
        eprintln!(
            "per article: {:.0} bytes, {:.1} entities, {:.1} fundings, {:.1} observations, {:.1} positions, {:.1} relations, {:.1} events, {:.1} people",
            per(y.bytes),
            per(y.entities),
            per(y.fundings),
            per(y.observations),
            per(y.positions),
            per(y.relations),
            per(y.events),
            per(y.people)
        );
        eprintln!("kinds: {:?}", y.kinds);
        for line in g.article(0).lines().take(30) {
            eprintln!("{line}");
        }
    }
}
