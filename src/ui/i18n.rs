//! The widget's own words in Simplified Chinese and English. Catalogue text
//! (titles, labels, help) comes from the catalogue in both languages; this
//! table covers the chrome around it.

use super::state::ImportError;
use crate::catalogue::{Category, Unit};
use crate::Lang;

impl Lang {
    /// The fixed strings.
    pub fn s(self) -> &'static Strings {
        match self {
            Lang::Zh => &ZH,
            Lang::En => &EN,
        }
    }

    /// A category's name.
    pub fn category(self, c: Category) -> &'static str {
        let (zh, en) = match c {
            Category::Tax => ("税收优惠", "Tax relief"),
            Category::Subsidy => ("资金补贴", "Grants"),
            Category::Certification => ("资质认定", "Recognition"),
            Category::Finance => ("金融支持", "Finance"),
            Category::Employment => ("就业社保", "Employment"),
            Category::Talent => ("人才", "Talent"),
            Category::Credit => ("信用激励", "Credit"),
            Category::Other => ("其他", "Other"),
        };
        self.either(zh, en)
    }

    /// The unit shown after an input box (money has its own toggle).
    pub fn unit_suffix(self, u: Unit) -> &'static str {
        let (zh, en) = match u {
            Unit::Cny => ("元", "yuan"),
            Unit::Percent => ("%", "%"),
            Unit::People => ("人", "people"),
            Unit::Years => ("年", "years"),
            Unit::Months => ("个月", "months"),
            Unit::Days => ("天", "days"),
            Unit::Count => ("项", "items"),
            Unit::Points => ("分", "points"),
        };
        self.either(zh, en)
    }

    /// "Answering this decides N policies (M need it)"; for a field only
    /// benefit amounts need, "gives the amount of N policies".
    pub fn why_asked(self, decides: u32, needed_by: u32, amounts: u32) -> String {
        if needed_by == 0 {
            return match self {
                Lang::Zh => format!("填写后可估算 {amounts} 项政策的金额"),
                Lang::En => format!("Gives the amount of {amounts} {}", plural(amounts, "policy", "policies")),
            };
        }
        match (self, decides) {
            (Lang::Zh, 0) => format!("{needed_by} 项政策需要这一信息"),
            (Lang::Zh, d) => format!("回答后可直接判定 {d} 项政策（共 {needed_by} 项政策需要）"),
            (Lang::En, 0) => format!("{needed_by} {} this", plural(needed_by, "policy needs", "policies need")),
            (Lang::En, d) => format!("Your answer decides {d} {} ({needed_by} {} it)", plural(d, "policy", "policies"), plural(needed_by, "needs", "need")),
        }
    }

    /// Why an optional question is asked (blank counts as "none").
    pub fn could_change(self, policies: u32) -> String {
        match self {
            Lang::Zh => format!("不填按“没有”处理；如有，填写后可能改变 {policies} 项政策的结论"),
            Lang::En => format!("Left blank, this counts as “none”; if you have it, it may change {policies} {}", plural(policies, "verdict", "verdicts")),
        }
    }

    /// Progress line.
    pub fn progress(self, answered: usize, remaining: usize) -> String {
        match self {
            Lang::Zh if remaining == 0 => format!("已回答 {answered} 题"),
            Lang::Zh => format!("已回答 {answered} 题，最多还需 {remaining} 题"),
            Lang::En if remaining == 0 => format!("{answered} answered"),
            Lang::En => format!("{answered} answered, at most {remaining} to go"),
        }
    }

    /// "N of M policies decided".
    pub fn decided(self, decided: usize, total: usize) -> String {
        self.either(format!("已判定 {decided}/{total} 项政策"), format!("{decided} of {total} policies decided"))
    }

    /// The live-region announcement after results change.
    pub fn live(self, q: usize, u: usize, n: usize) -> String {
        self.either(
            format!("结果已更新：符合 {q} 项，待定 {u} 项，不符合 {n} 项。"),
            format!(
                "Results updated: {q} {}, {u} undecided, {n} {}.",
                plural(q as u32, "qualifies", "qualify"),
                plural(n as u32, "does not qualify", "do not qualify")
            ),
        )
    }

    /// Count of answered questions in a section.
    pub fn section_count(self, answered: usize, total: usize) -> String {
        self.either(format!("已答 {answered}/{total}"), format!("{answered}/{total} answered"))
    }

    /// A collapsed group of questions no undecided policy needs.
    pub fn more_questions(self, n: usize) -> String {
        self.either(
            format!("其他 {n} 个问题（当前结果不需要）"),
            format!("{n} more {} (not needed for the current results)", plural(n as u32, "question", "questions")),
        )
    }

    /// "N policies" after a filter.
    pub fn shown(self, shown: usize, total: usize) -> String {
        if shown == total {
            self.either(format!("共 {total} 项政策"), format!("{total} policies"))
        } else {
            self.either(format!("显示 {shown} 项，共 {total} 项"), format!("Showing {shown} of {total}"))
        }
    }

    /// Why an imported file was not used.
    pub fn import_error(self, e: &ImportError) -> String {
        match *e {
            ImportError::NotJson { line, column } => {
                self.either(format!("不是有效的 JSON 文件（第 {line} 行第 {column} 列）"), format!("it is not valid JSON (line {line}, column {column})"))
            }
            ImportError::TooLarge => self.either("文件过大（超过 1 MiB）", "it is larger than 1 MiB").into(),
            ImportError::Unreadable => self.either("浏览器无法读取该文件", "the browser could not read it").into(),
            ImportError::NotAnswers => {
                self.either("这不是答案文件（请选择用“导出答案”保存的文件）", "it is not an answers file (use one saved with Export)").into()
            }
            ImportError::NoAnswers(ignored) => self.either(
                format!("文件中没有本政策目录能用的答案（{ignored} 项无法识别或取值无效），当前答案未改动"),
                format!("it has no answer this catalogue can use ({ignored} not recognised or invalid); your answers are unchanged"),
            ),
        }
    }

    /// Days left until an application closes.
    pub fn closes_in(self, days: i64) -> String {
        match (self, days) {
            (Lang::Zh, 0) => "今天截止申报".into(),
            (Lang::Zh, d) => format!("申报中 · {d} 天后截止"),
            (Lang::En, 0) => "Closes today".into(),
            (Lang::En, 1) => "Closes tomorrow".into(),
            (Lang::En, d) => format!("Closes in {d} days"),
        }
    }

    /// An application not open yet.
    pub fn opens_on(self, date: &str) -> String {
        self.either(format!("尚未开放 · {date}开始"), format!("Not yet open · opens {date}"))
    }

    /// An application deadline further away.
    pub fn apply_by(self, date: &str) -> String {
        self.either(format!("申报截止 {date}"), format!("Apply by {date}"))
    }

    /// A policy not yet in force.
    pub fn in_force_from(self, date: &str) -> String {
        self.either(format!("{date}起施行"), format!("In force from {date}"))
    }

    /// A policy whose validity ended before the as-of date.
    pub fn expired_on(self, date: &str) -> String {
        self.either(format!("已于{date}失效"), format!("Expired on {date}"))
    }

    /// Validity end.
    pub fn valid_until(self, date: &str) -> String {
        self.either(format!("有效期至 {date}"), format!("Valid until {date}"))
    }

    /// After an import.
    pub fn imported(self, n: usize, ignored: usize) -> String {
        match (self, ignored) {
            (Lang::Zh, 0) => format!("已载入 {n} 项答案。"),
            (Lang::Zh, m) => format!("已载入 {n} 项答案；{m} 项无法识别或取值无效，未计入。"),
            (Lang::En, 0) => format!("Loaded {n} {}.", plural(n as u32, "answer", "answers")),
            (Lang::En, m) => format!(
                "Loaded {n} {}; {m} unknown or invalid {} not taken.",
                plural(n as u32, "answer", "answers"),
                plural(m as u32, "value was", "values were")
            ),
        }
    }

    /// Skipped questions keep policies undecided.
    pub fn skipped_summary(self, questions: usize) -> String {
        self.either(
            format!("你跳过了 {questions} 个问题，需要它们的政策保持“待定”。"),
            format!(
                "You skipped {questions} {}; the policies that need {} stay undecided.",
                plural(questions as u32, "question", "questions"),
                if questions == 1 { "it" } else { "them" }
            ),
        )
    }

    /// Stacking note for "take the higher".
    pub fn take_higher(self, other: &str, preferred: Option<bool>) -> String {
        let tail = match (self, preferred) {
            (Lang::Zh, Some(true)) => "：按目前数据，本项金额较高。",
            (Lang::Zh, Some(false)) => "：按目前数据，另一项金额较高。",
            (Lang::En, Some(true)) => ": with your figures this one is worth more.",
            (Lang::En, Some(false)) => ": with your figures the other one is worth more.",
            (Lang::Zh, None) => "。",
            (Lang::En, None) => ".",
        };
        self.either(format!("与「{other}」就高不重复享受{tail}"), format!("Only the higher of this and “{other}” applies{tail}"))
    }

    /// Stacking note for "exclusive".
    pub fn exclusive(self, other: &str) -> String {
        self.either(format!("与「{other}」只能选择其一享受。"), format!("Claim either this or “{other}”, not both."))
    }
}

fn plural(n: u32, one: &'static str, many: &'static str) -> &'static str {
    if n == 1 {
        one
    } else {
        many
    }
}

/// The widget's fixed strings in one language.
#[allow(missing_docs)]
pub struct Strings {
    pub widget: &'static str,
    pub lang_label: &'static str,
    pub other_lang: &'static str,
    pub other_lang_tag: &'static str,
    pub privacy: &'static str,
    pub guided: &'static str,
    pub guided_optional: &'static str,
    pub confirm: &'static str,
    pub skip: &'static str,
    pub skipped: &'static str,
    pub skipped_help: &'static str,
    pub answer_it: &'static str,
    pub clear: &'static str,
    pub change: &'static str,
    pub all_done: &'static str,
    pub all_done_text: &'static str,
    pub progress_label: &'static str,
    pub by_topic: &'static str,
    pub other_section: &'static str,
    pub yes: &'static str,
    pub no: &'static str,
    pub choose: &'static str,
    pub entry_unit: &'static str,
    pub wan: &'static str,
    pub yuan: &'static str,
    pub equals: &'static str,
    /// After a label: `：` / `: `.
    pub colon: &'static str,
    pub none_option: &'static str,
    pub has_dates: &'static str,
    pub add_date: &'static str,
    pub remove: &'static str,
    pub list_hint: &'static str,
    pub err_number: &'static str,
    pub err_range: &'static str,
    pub err_whole: &'static str,
    pub err_min: &'static str,
    pub err_max: &'static str,
    pub err_date: &'static str,
    pub err_long: &'static str,
    /// An address that names no city (a district or street alone).
    pub err_city: &'static str,
    pub err_option: &'static str,
    pub results: &'static str,
    pub qualifies: &'static str,
    pub undecided: &'static str,
    pub not_qualify: &'static str,
    pub qualifies_help: &'static str,
    pub undecided_help: &'static str,
    pub not_qualify_help: &'static str,
    pub none_here: &'static str,
    pub within_reach: &'static str,
    pub estimated_total: &'static str,
    pub estimated_total_note: &'static str,
    pub filter: &'static str,
    pub all_categories: &'static str,
    pub search: &'static str,
    pub search_placeholder: &'static str,
    pub no_match: &'static str,
    pub clear_filter: &'static str,
    pub issuer: &'static str,
    pub documents: &'static str,
    pub benefit: &'static str,
    pub estimated: &'static str,
    pub if_qualifies: &'static str,
    pub apply_online: &'static str,
    pub office: &'static str,
    pub window: &'static str,
    pub materials: &'static str,
    pub notes: &'static str,
    pub sources: &'static str,
    pub show_why: &'static str,
    pub hide_why: &'static str,
    pub criteria: &'static str,
    pub closed: &'static str,
    pub met: &'static str,
    pub not_met: &'static str,
    pub unknown: &'static str,
    pub needs: &'static str,
    pub missing: &'static str,
    pub still_needed: &'static str,
    pub skipped_needed: &'static str,
    pub all_of: &'static str,
    pub any_of: &'static str,
    pub none_of: &'static str,
    pub not_answered: &'static str,
    pub how_close: &'static str,
    pub short_by: &'static str,
    pub over_by: &'static str,
    pub pct_points: &'static str,
    pub reading_note: &'static str,
    pub my_answers: &'static str,
    pub remember: &'static str,
    pub remember_help: &'static str,
    pub forget: &'static str,
    pub forgot: &'static str,
    pub export: &'static str,
    pub import: &'static str,
    pub import_failed: &'static str,
    pub share: &'static str,
    pub share_help: &'static str,
    pub share_link_label: &'static str,
    pub copy: &'static str,
    /// Said before the share help once the link is copied.
    pub copied: &'static str,
    pub print: &'static str,
    pub reset: &'static str,
    pub close: &'static str,
    pub from_link: &'static str,
    pub from_device: &'static str,
    pub report: &'static str,
    pub report_as_of: &'static str,
    pub report_catalogue: &'static str,
    pub report_back: &'static str,
    pub report_disclaimer: &'static str,
    pub report_answers: &'static str,
    pub skip_to_results: &'static str,
    /// Before a referenced policy's title (with its opening quote).
    pub policy: &'static str,
    pub verdict_of: &'static str,
}

static ZH: Strings = Strings {
    widget: "企业政策自测",
    lang_label: "语言",
    other_lang: "English",
    other_lang_tag: "en",
    privacy: "所有答案只在本浏览器中计算，不会上传到任何服务器。",
    guided: "下一个问题",
    guided_optional: "可能改变结果的问题",
    confirm: "确定",
    skip: "不清楚，跳过",
    skipped: "已跳过",
    skipped_help: "需要此信息的政策将保持“待定”。",
    answer_it: "改为回答",
    clear: "清除答案",
    change: "修改",
    all_done: "问题已全部回答",
    all_done_text: "目前没有还能改变结果的问题。可以在下方按类别修改答案，或查看匹配结果。",
    progress_label: "答题进度",
    by_topic: "按类别填写",
    other_section: "其他",
    yes: "是",
    no: "否",
    choose: "请选择…",
    entry_unit: "填写单位",
    wan: "万元",
    yuan: "元",
    equals: "折合",
    colon: "：",
    none_option: "没有",
    has_dates: "有，填写日期",
    add_date: "添加日期",
    remove: "删除",
    list_hint: "多项之间用分号（；）分隔；没有请填“无”。",
    err_number: "请输入数字，例如 1,234.5",
    err_range: "数值超出范围：绝对值不超过 10^18，最多 10 位小数",
    err_whole: "请输入整数",
    err_min: "不能小于",
    err_max: "不能大于",
    err_date: "请输入有效日期，格式为 年-月-日",
    err_long: "内容过长",
    err_city: "读不出城市：请填写城市，或含城市的地址（如 杭州市滨江区）",
    err_option: "请选择一个选项",
    results: "匹配结果",
    qualifies: "符合条件",
    undecided: "待定",
    not_qualify: "不符合",
    qualifies_help: "按已填写的信息，满足全部申报条件。",
    undecided_help: "还缺少信息，暂时无法判断。",
    not_qualify_help: "至少有一项条件不满足。",
    none_here: "暂无",
    within_reach: "差一点",
    estimated_total: "预计可享受",
    estimated_total_note: "按已填写数据估算，只计有效期内的政策，已扣除就高不重复、互斥的政策；仅供参考。",
    filter: "筛选政策",
    all_categories: "全部",
    search: "搜索",
    search_placeholder: "政策名称、发文机关或文号",
    no_match: "没有符合筛选条件的政策。",
    clear_filter: "清除筛选",
    issuer: "发文机关",
    documents: "文号",
    benefit: "支持内容",
    estimated: "预计金额",
    if_qualifies: "若符合条件",
    apply_online: "在线申报",
    office: "受理部门",
    window: "申报时间",
    materials: "所需材料",
    notes: "说明",
    sources: "政策原文",
    show_why: "查看判定依据",
    hide_why: "收起判定依据",
    criteria: "申报条件",
    closed: "本期申报已截止",
    met: "满足",
    not_met: "不满足",
    unknown: "待确认",
    needs: "要求",
    missing: "还需回答：",
    still_needed: "还需回答",
    skipped_needed: "你跳过了",
    all_of: "同时满足以下条件",
    any_of: "满足以下任一条件",
    none_of: "不满足以下条件",
    not_answered: "未填写",
    how_close: "差距",
    short_by: "还差",
    over_by: "超出",
    pct_points: "个百分点",
    reading_note: "口径说明",
    my_answers: "我的答案",
    remember: "在本设备上记住答案",
    remember_help: "勾选后答案保存在本浏览器（localStorage）中，下次打开自动载入。",
    forget: "删除本设备上的答案",
    forgot: "已删除本设备上保存的答案。当前页面上的答案仍保留，关闭页面后即清除。",
    export: "导出答案",
    import: "导入答案",
    import_failed: "无法读取该文件：",
    share: "分享链接",
    share_help: "答案在链接 # 号之后，打开链接时只在浏览器中读取，不会发送到服务器。",
    share_link_label: "分享链接",
    copy: "复制链接",
    copied: "链接已复制。",
    print: "打印报告",
    reset: "全部重填",
    close: "关闭",
    from_link: "已从分享链接载入答案（仅保存在当前页面）。",
    from_device: "已载入本设备上保存的答案。",
    report: "政策自测报告",
    report_as_of: "评估日期",
    report_catalogue: "政策目录",
    report_back: "返回",
    report_disclaimer: "本报告依据企业自行填写的信息生成，仅供参考；能否享受以主管部门审核和政策原文为准。",
    report_answers: "已填写的信息",
    skip_to_results: "跳到匹配结果",
    policy: "政策「",
    verdict_of: "结论",
};

static EN: Strings = Strings {
    widget: "Policy self-check",
    lang_label: "Language",
    other_lang: "中文",
    other_lang_tag: "zh-CN",
    privacy: "Your answers are evaluated in this browser only and never uploaded.",
    guided: "Next question",
    guided_optional: "Could change a result",
    confirm: "Confirm",
    skip: "I don't know — skip",
    skipped: "Skipped",
    skipped_help: "Policies that need this stay undecided.",
    answer_it: "Answer it",
    clear: "Clear answer",
    change: "Change",
    all_done: "No more questions",
    all_done_text: "No remaining question can change the results. Change any answer by topic below, or review the results.",
    progress_label: "Progress",
    by_topic: "Answer by topic",
    other_section: "Other",
    yes: "Yes",
    no: "No",
    choose: "Choose…",
    entry_unit: "Entry unit",
    wan: "×10k yuan",
    yuan: "yuan",
    equals: "=",
    colon: ": ",
    none_option: "None",
    has_dates: "Yes, enter dates",
    add_date: "Add a date",
    remove: "Remove",
    list_hint: "Separate items with semicolons (;); type “none” for none.",
    err_number: "Enter a number, e.g. 1,234.5",
    err_range: "Out of range: at most ±10^18, with up to 10 decimal places",
    err_whole: "Enter a whole number",
    err_min: "Must be at least",
    err_max: "Must be at most",
    err_date: "Enter a valid date (YYYY-MM-DD)",
    err_long: "Too long",
    err_city: "No city in this: give the city, or an address with it (Hangzhou, Binjiang District)",
    err_option: "Choose one of the options",
    results: "Results",
    qualifies: "Qualifies",
    undecided: "Undecided",
    not_qualify: "Does not qualify",
    qualifies_help: "Meets every criterion on the answers given.",
    undecided_help: "More answers are needed to decide.",
    not_qualify_help: "At least one criterion is not met.",
    none_here: "None",
    within_reach: "Within reach",
    estimated_total: "Estimated value",
    estimated_total_note: "From your figures, for policies in force, counting only one of policies that cannot be combined; for guidance only.",
    filter: "Filter policies",
    all_categories: "All",
    search: "Search",
    search_placeholder: "Title, issuer or document number",
    no_match: "No policy matches the filter.",
    clear_filter: "Clear filter",
    issuer: "Issuer",
    documents: "Document",
    benefit: "Benefit",
    estimated: "Estimated",
    if_qualifies: "If it qualifies",
    apply_online: "Apply online",
    office: "Office",
    window: "When to apply",
    materials: "Materials",
    notes: "Notes",
    sources: "Policy texts",
    show_why: "Show why",
    hide_why: "Hide details",
    criteria: "Criteria",
    closed: "Closed for this round",
    met: "Met",
    not_met: "Not met",
    unknown: "Undecided",
    needs: "needs",
    missing: "Still needed:",
    still_needed: "Still needed",
    skipped_needed: "You skipped",
    all_of: "All of the following",
    any_of: "Any of the following",
    none_of: "None of the following",
    not_answered: "not answered",
    how_close: "Gap",
    short_by: "short by",
    over_by: "over by",
    pct_points: "percentage points",
    reading_note: "How this is read",
    my_answers: "My answers",
    remember: "Remember on this device",
    remember_help: "Keeps your answers in this browser (localStorage) and loads them next time.",
    forget: "Forget on this device",
    forgot: "Deleted the answers saved on this device. The answers on this page stay until you close it.",
    export: "Export",
    import: "Import",
    import_failed: "Could not read that file: ",
    share: "Share link",
    share_help: "The answers are in the part after #, which the browser reads locally and never sends to a server.",
    share_link_label: "Share link",
    copy: "Copy link",
    copied: "Link copied. ",
    print: "Print report",
    reset: "Start over",
    close: "Close",
    from_link: "Loaded the answers from a share link (kept on this page only).",
    from_device: "Loaded the answers saved on this device.",
    report: "Policy self-check report",
    report_as_of: "Assessed as of",
    report_catalogue: "Catalogue",
    report_back: "Back",
    report_disclaimer: "Based on the enterprise's own answers; for guidance only. The competent authority's review and the published policy texts prevail.",
    report_answers: "Answers given",
    skip_to_results: "Skip to results",
    policy: "Policy “",
    verdict_of: "Verdict",
};

#[cfg(test)]
mod tests {
    use super::Lang;

    #[test]
    fn why_asked_agrees_in_number() {
        // English verbs agree with their subject: one policy needs, two policies need.
        assert_eq!(Lang::En.why_asked(0, 1, 0), "1 policy needs this");
        assert_eq!(Lang::En.why_asked(0, 2, 0), "2 policies need this");
        assert_eq!(Lang::En.why_asked(1, 1, 0), "Your answer decides 1 policy (1 needs it)");
        assert_eq!(Lang::En.why_asked(1, 2, 0), "Your answer decides 1 policy (2 need it)");
        assert_eq!(Lang::Zh.why_asked(0, 1, 0), "1 项政策需要这一信息");
        // A field only benefit amounts need.
        assert_eq!(Lang::En.why_asked(0, 0, 1), "Gives the amount of 1 policy");
        assert_eq!(Lang::En.why_asked(0, 0, 2), "Gives the amount of 2 policies");
        assert_eq!(Lang::Zh.why_asked(0, 0, 2), "填写后可估算 2 项政策的金额");
        assert_eq!(Lang::En.live(1, 0, 1), "Results updated: 1 qualifies, 0 undecided, 1 does not qualify.");
        assert_eq!(Lang::En.live(2, 3, 0), "Results updated: 2 qualify, 3 undecided, 0 do not qualify.");
    }
}
