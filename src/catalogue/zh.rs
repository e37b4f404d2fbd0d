//! Chinese texts of catalogue errors and warnings, for the command line
//! (`policy-match check --lang zh`, and the catalogue errors of `match`,
//! `explain` and `batch`), for the policy staff (政策科) who edit catalogues.
//!
//! Native only (not compiled for wasm32): the browser bundle keeps its size,
//! and the widget and the JS API keep their English messages.
//!
//! The English messages are built in many places (the compiler, serde's own
//! messages, the hints about hand-edited JSON); this module reads each one
//! with a table of templates, [`RULES`], and writes it again in Chinese,
//! keeping every detail it carries (field names, policy ids, numbers,
//! operators, the "did you mean" suggestion) as written. A template's holes
//! that hold a message or a type of their own are translated in turn. A
//! message no template reads is returned unchanged (the tests run every
//! template, and `check` on many broken catalogues, to see that none is
//! left in English). The kinds of error that carry their facts as fields
//! (a duplicate id, an unknown name and its suggestion) are worded from
//! those fields ([`error_zh`]).

use super::CatalogueError;
use crate::rules::{CompileError, OPERATORS};

/// One template: the English text with holes `{}`, and the Chinese text
/// that names the holes by position: `{0}` copies the first hole as
/// written, `{0t}` translates it in turn (a message, or a type such as
/// `number`).
type Rule = (&'static str, &'static str);

/// The templates, tried in order (a more specific one before a more general
/// one that would also read its messages).
const RULES: &[Rule] = &[
    // --- The frame's kinds of error (src/catalogue/error.rs).
    (
        "the file is not UTF-8 text: a character here could not be decoded (the file was probably saved as GBK/ANSI or as UTF-16 \"Unicode\"); save it as UTF-8 (Notepad: Save As → Encoding: UTF-8)",
        "文件不是 UTF-8 文本：此处有无法解码的字符（文件可能保存成了 GBK/ANSI 或 UTF-16“Unicode”编码）；请另存为 UTF-8 编码（记事本：另存为 → 编码：UTF-8）",
    ),
    ("invalid JSON: {}", "JSON 格式错误：{0t}"),
    // Where an id was first declared.
    ("catalogue `{}`, {}", "政策目录 `{0}`，{1}"),
    ("catalogue `{}`", "政策目录 `{0}`"),
    // --- Hints appended to serde_json's syntax errors (src/catalogue/read.rs).
    (
        "{} (“{}” here is full-width punctuation, typed with a Chinese input method: JSON needs the ASCII , : \" characters)",
        "{0t}（此处的“{1}”是中文输入法打出的全角标点：JSON 要用英文半角的 , : \" 字符）",
    ),
    ("{} (“,” after the last element: delete it, JSON allows no comma before ] or })", "{0t}（最后一个元素后面多了“,”：请删除，JSON 不允许在 ] 或 } 前面加逗号）"),
    ("{} (“,” in a number: JSON numbers have no thousands separators; write {})", "{0t}（数字中有“,”：JSON 数字不能用千位分隔符；请写 {1}）"),
    (
        "{} (“{}” after a number: JSON numbers are plain digits; write {} if the field's unit is percent; a rate in a formula is a fraction)",
        "{0t}（数字后面有“{1}”：JSON 数字只能写纯数字；字段单位是百分比时请写 {2}；公式中的比率写成小数）",
    ),
    ("{} (“{}” after a number: JSON numbers are plain digits; write {})", "{0t}（数字后面有“{1}”：JSON 数字只能写纯数字；请写 {2}）"),
    ("{} (“'” here: JSON strings use double quotes)", "{0t}（此处的“'”：JSON 字符串要用双引号）"),
    (
        "{} (JSON has no comments: delete it, or use a policy's `notes` or a criterion's `note`, shown to users)",
        "{0t}（JSON 不支持注释：请删除；说明文字可写在政策的 `notes` 或条件的 `note` 中，会展示给用户）",
    ),
    ("{} (“,” is missing at the end of line {})", "{0t}（第 {1} 行末尾缺少“,”）"),
    ("{} (“True” is not JSON: write true)", "{0t}（“True”不是 JSON：请写 true）"),
    ("{} (“False” is not JSON: write false)", "{0t}（“False”不是 JSON：请写 false）"),
    ("{} (“None” is not JSON: write null)", "{0t}（“None”不是 JSON：请写 null）"),
    ("{} (“NaN” is not JSON: write null, or leave the entry out)", "{0t}（“NaN”不是 JSON：请写 null，或删去这一项）"),
    ("{} (“undefined” is not JSON: write null, or leave the entry out)", "{0t}（“undefined”不是 JSON：请写 null，或删去这一项）"),
    // --- serde_json's syntax errors (its ErrorCode texts).
    ("EOF while parsing a list", "列表（[…]）还没有结束，文件就结束了"),
    ("EOF while parsing an object", "对象（{…}）还没有结束，文件就结束了"),
    ("EOF while parsing a string", "字符串还没有结束（缺少右引号 \"），文件就结束了"),
    ("EOF while parsing a value", "此处应有一个值，但文件结束了"),
    ("expected `:`", "此处应为 `:`"),
    ("expected `,` or `]`", "此处应为 `,` 或 `]`"),
    ("expected `,` or `}`", "此处应为 `,` 或 `}`"),
    ("expected ident", "无法识别的词（JSON 只认 `true`、`false`、`null`）"),
    ("expected value", "此处应为一个值（字符串、数字、对象、列表、`true`、`false` 或 `null`）"),
    ("expected `\"`", "此处应为 `\"`"),
    ("invalid escape", "无效的转义字符（字符串中的 `\\` 后只能跟 `\"` `\\` `/` `b` `f` `n` `r` `t` `u`）"),
    ("invalid number", "无效的数字"),
    ("number out of range", "数字超出范围"),
    ("invalid unicode code point", "无效的 Unicode 码位"),
    ("control character (\\u0000-\\u001F) found while parsing a string", "字符串中有控制字符（\\u0000-\\u001F）：换行请写成 `\\n`"),
    ("key must be a string", "键必须是字符串（用双引号括起来）"),
    ("lone leading surrogate in hex escape", "十六进制转义中有单独的前导代理项（\\uD800–\\uDBFF 后须跟 \\uDC00–\\uDFFF）"),
    ("unexpected end of hex escape", "十六进制转义（\\uXXXX）不完整"),
    ("trailing comma", "多余的逗号"),
    ("trailing characters", "JSON 之后还有多余的字符"),
    ("recursion limit exceeded", "嵌套层数太深（超过上限）"),
    ("expression too large", "表达式太大"),
    // --- serde's data errors (schema).
    ("unknown field `{}`, expected one of {}", "未知的键 `{0}`，可用的键：{1l}"),
    ("unknown field `{}`, expected {}", "未知的键 `{0}`，可用的键：{1l}"),
    ("unknown field `{}`, there are no fields", "未知的键 `{0}`：此处不能有任何键"),
    ("unknown variant `{}`, expected one of {}", "未知的取值 `{0}`，可选：{1l}"),
    ("unknown variant `{}`, expected {}", "未知的取值 `{0}`，可选：{1l}"),
    ("unknown variant `{}`, there are no variants", "未知的取值 `{0}`"),
    ("missing field `{}`", "缺少必填的键 `{0}`"),
    ("duplicate field `{}`", "键 `{0}` 重复"),
    ("invalid type: {}, expected {}", "类型错误：此处是{0t}，应为{1t}"),
    ("invalid value: {}, expected {}", "取值无效：此处是{0t}，应为{1t}"),
    ("invalid length {}, expected struct {} with {} elements", "此处是 {0} 个元素的列表，应为{1t}"),
    ("invalid length {}, expected {}", "此处是 {0} 个元素的列表，应为{1t}"),
    ("unknown value `{}` (expected one of: {})", "未知的取值 `{0}`（可选：{1l}）"),
    ("`{}` is not a valid id (letters, digits and _, starting with a letter, at most 64)", "`{0}` 不是有效的编号（由字母、数字和 _ 组成，以字母开头，最多 64 个字符）"),
    ("`{}` is not a valid catalogue id (letters, digits, - and _)", "`{0}` 不是有效的政策目录编号（由字母、数字、- 和 _ 组成）"),
    ("`{}` is not an http(s) link (only http:// and https:// links are allowed)", "`{0}` 不是 http(s) 链接（只允许 http:// 和 https:// 链接）"),
    (
        "`{}` is not a valid date (expected YYYY-MM-DD, a real calendar day between 1900 and 2199); write `{}`",
        "`{0}` 不是有效的日期（应为 YYYY-MM-DD，1900 至 2199 年间真实存在的日期）；请写 `{1}`",
    ),
    ("`{}` is not a valid date (expected YYYY-MM-DD, a real calendar day between 1900 and 2199)", "`{0}` 不是有效的日期（应为 YYYY-MM-DD，1900 至 2199 年间真实存在的日期）"),
    // serde's Unexpected (what was found) and Expected (what was wanted) texts.
    ("string containing a number", "包含数字的字符串"),
    ("string {}", "字符串 {0}"),
    ("integer `{}`", "整数 `{0}`"),
    ("floating point `{}`", "小数 `{0}`"),
    ("boolean `{}`", "布尔值 `{0}`"),
    ("null", " null"),
    ("unit value", " null"),
    ("sequence", "列表"),
    ("map", "对象"),
    ("a sequence", "列表"),
    ("a map", "对象"),
    ("a string", "字符串"),
    ("a string key", "字符串键"),
    ("a borrowed string", "字符串"),
    ("a boolean", "布尔值（true 或 false）"),
    ("a number", "数字"),
    ("an object", "对象"),
    ("any valid JSON value", "一个 JSON 值"),
    ("an object {\"url\": …, \"opens\": …, \"closes\": …, …}", "对象 {\"url\": …, \"opens\": …, \"closes\": …, …}"),
    ("an object {\"text\": {\"zh\": …, \"en\": …}, \"amount\": …}", "对象 {\"text\": {\"zh\": …, \"en\": …}, \"amount\": …}"),
    ("struct {}", "{0t}"),
    // (serde names the catalogue's objects by their Rust types.)
    ("Document", "政策目录对象 {…}"),
    ("Section", "问卷分组对象 {\"id\": …, \"title\": …}"),
    ("FieldDef", "字段对象 {\"name\": …, \"type\": …, \"label\": …}"),
    ("EnumOption", "选项对象 {\"value\": …, \"label\": …}"),
    ("DerivedDef", "派生值对象 {\"name\": …, \"label\": …, \"expr\": …}"),
    ("PolicyDef", "政策对象 {\"id\": …, \"title\": …, …, \"criteria\": […]}"),
    ("StackingDef", "叠加规则对象 {\"policy\": …, \"rule\": …}"),
    ("Link", "链接对象 {\"label\": …, \"url\": …}"),
    ("CriterionDef", "条件对象 {\"id\": …, \"description\": …, \"rule\": …}"),
    ("Override", "覆盖对象 {\"policy\": …, …}"),
    ("Application", "申报信息对象 {\"url\": …, \"opens\": …, \"closes\": …, …}"),
    ("BenefitDef", "扶持内容对象 {\"text\": …, \"amount\": …}"),
    ("a tuple of size {}", "{0} 个元素的列表"),
    ("u8", "整数"),
    ("u16", "整数"),
    ("u32", "整数"),
    ("u64", "整数"),
    ("usize", "整数"),
    ("i32", "整数"),
    ("i64", "整数"),
    ("a Decimal type representing a fixed-point number", "数字"),
    ("a JSON number", "数字"),
    ("a text {\"zh\": \"…\", \"en\": \"…\"}", "文本 {\"zh\": \"…\", \"en\": \"…\"}"),
    // --- Declarations and references (src/catalogue/build.rs).
    ("{} policies; at most {} are supported", "共 {0} 项政策，最多支持 {1} 项"),
    ("a derived value is a number, boolean or date; this one is a {}", "派生值只能是数值、布尔值或日期；这个是{0t}"),
    ("a policy needs at least one criterion", "政策至少要有一个条件"),
    ("valid_until {} is before valid_from {}", "valid_until {0} 早于 valid_from {1}"),
    ("stacking refers to unknown policy `{}`", "叠加规则（stacking）引用了不存在的政策 `{0}`"),
    ("a policy cannot be stacked with itself", "政策不能与自身叠加"),
    (
        "the stacking of `{}` with `{}` is already given (here or in `{}`): keep one rule for the pair",
        "`{0}` 与 `{1}` 的叠加规则已经写过（在此处或在 `{2}` 中）：同一对政策只保留一条规则",
    ),
    ("override of unknown policy `{}`", "覆盖（overrides）引用了不存在的政策 `{0}`"),
    (
        "a catalogue may override only policies of catalogues it extends; `{}` is declared in `{}`",
        "政策目录只能覆盖它所扩展（extends）的目录中的政策；`{0}` 声明于 `{1}`",
    ),
    ("extends `{}`, which in turn extends this one (a cycle)", "扩展（extends）了 `{0}`，而它又扩展了本目录（循环）"),
    ("extends `{}`, which was not loaded; load it together with this one", "扩展（extends）了 `{0}`，但它没有被加载；请与本目录一起加载"),
    ("enum field `{}` needs at least one option", "枚举字段 `{0}` 至少要有一个选项"),
    ("only enum and string_list fields have options; `{}` has \"type\": {}", "只有 enum 和 string_list 字段可以有选项（options）；`{0}` 的 \"type\" 是 {1}"),
    ("format applies to string fields only; `{}` has \"type\": {}", "format 只适用于 string 字段；`{0}` 的 \"type\" 是 {1}"),
    (
        "min, max and unit apply to number and integer fields only; `{}` is not one",
        "min、max 和 unit 只适用于 number 和 integer 字段；`{0}` 不是",
    ),
    ("max {} is below min {}", "max {0} 小于 min {1}"),
    ("unknown section `{}` (sections: {})", "不存在的问卷分组 `{0}`（已有分组：{1l}）"),
    ("closes {} is before opens {}", "closes {0} 早于 opens {1}"),
    // --- Criteria expressions (src/rules).
    // The "did you mean" after a name not found (unknown field, policy, reference).
    ("{} (did you mean `{}`?)", "{0t}（是否想写 `{1}`？）"),
    // Types (src/rules/program.rs `Ty`).
    ("number", "数值"),
    ("boolean", "布尔值（是/否）"),
    ("date", "日期"),
    ("string", "字符串"),
    ("list of dates", "日期列表"),
    ("list of strings", "字符串列表"),
    ("list", "列表"),
    // Type errors.
    ("expected a {} expression, found a {}: a criterion is a test, such as {\">=\": [a, b]}", "应为{0t}表达式，实际是{1t}：条件必须是一个判断，例如 {\">=\": [a, b]}"),
    ("expected a {} expression, found a {}: {}", "应为{0t}表达式，实际是{1t}：{2t}"),
    ("expected a {} expression, found a {}", "应为{0t}表达式，实际是{1t}"),
    ("expected a {} literal, found a {}", "应为{0t}常量，实际是{1t}"),
    ("expected a {}, found a {}: {}", "应为{0t}，实际是{1t}：{2t}"),
    ("expected a {}, found a {}", "应为{0t}，实际是{1t}"),
    ("`{}` compares a {} with a string: {}", "`{0}` 比较的是{1t}和字符串：{2t}"),
    ("`{}` compares a {} with a {}", "`{0}` 比较的是{1t}和{2t}，类型不同"),
    ("`{}` cannot compare {} values", "`{0}` 不能比较{1t}"),
    ("`contains` looks for a {} in a {}, found a {}", "`contains` 在{1t}中查找{0t}，实际给的是{2t}"),
    ("both branches of `if` must have the same type; found {} and {}", "`if` 的两个分支类型必须相同；实际是{0t}和{1t}"),
    ("`{}` tests a number, string or date, found a {}", "`{0}` 只能判断数值、字符串或日期，实际是{1t}"),
    ("a band table looks up a number, date or string, found a {}", "分档表（band）只能按数值、日期或字符串查找，实际是{0t}"),
    ("a band bound must be a {} literal", "分档界限必须是{0t}常量"),
    ("strings in a band table are compared with == or != only", "分档表中的字符串只能用 == 或 != 比较"),
    (
        "every row of a band table gives the same type; this row gives a {}, earlier rows a {}",
        "分档表每一行的结果类型必须相同；这一行是{0t}，前面的行是{1t}",
    ),
    // How to write a literal written in quotes.
    ("percent values are numbers from 0 to 100: write {}", "百分比是 0 到 100 的数字：请写 {0}"),
    ("amounts are in yuan: write {}", "金额以元为单位：请写 {0}"),
    ("write numbers without quotes or thousands separators: {}", "数字不加引号、不用千位分隔符：{0}"),
    ("write a date as {\"date\": \"{}\"}", "日期请写成 {\"date\": \"{0}\"}"),
    ("write true without quotes", "true 不加引号"),
    ("write false without quotes", "false 不加引号"),
    // Shapes of expressions.
    (
        "null is not an expression (to test whether a field was given, use {\"provided\": \"field\"})",
        "null 不是表达式（要判断某字段是否已填写，请用 {\"provided\": \"字段名\"}）",
    ),
    (
        "a list is only allowed as the second operand of `in`, `not_in`, `contains_any` or `contains_all`",
        "列表只能作为 `in`、`not_in`、`contains_any` 或 `contains_all` 的第二个操作数",
    ),
    ("an empty object is not an expression: write one operator key, such as `all` or `>=`", "空对象不是表达式：请写一个运算符键，如 `all` 或 `>=`"),
    ("an expression is an object with exactly one operator key; found {} keys ({})", "表达式是只有一个运算符键的对象；此处有 {0} 个键（{1l}）"),
    ("`date` takes a string \"YYYY-MM-DD\"", "`date` 需要一个字符串 \"YYYY-MM-DD\""),
    ("`provided` takes a field name", "`provided` 需要一个字段名"),
    ("`policy` takes a policy id", "`policy` 需要一个政策编号"),
    (
        "`policy` references are allowed in criteria and benefit formulas only, not in derived values",
        "`policy` 引用只能用于条件和金额公式，不能用于派生值",
    ),
    ("`{}` takes {}; found {}; if {} is one number, write {} (JSON numbers have no thousands separators)", "`{0}` 需要{1t}；实际给了{2t}；如果 {3} 是一个数，请写 {4}（JSON 数字不能用千位分隔符）"),
    ("`{}` takes {}; found {}", "`{0}` 需要{1t}；实际给了{2t}"),
    ("a list of exactly 1 operand", "恰好 1 个操作数的列表"),
    ("a list of exactly {} operands", "恰好 {0} 个操作数的列表"),
    ("a list of at least 1 operand", "至少 1 个操作数的列表"),
    ("a list of at least {} operands", "至少 {0} 个操作数的列表"),
    ("a list of {} to {} operands", "{0} 到 {1} 个操作数的列表"),
    ("{} operands", " {0} 个操作数"),
    ("`{}` takes a whole number (at most 100000) as its second operand", "`{0}` 的第二个操作数必须是整数（最大 100000）"),
    (
        "`var` takes a field name, a derived value's name, \"$as_of\" or \"$item\"",
        "`var` 需要字段名、派生值名称、\"$as_of\" 或 \"$item\"",
    ),
    (
        "\"$item\" is only defined inside the `where` of `some`, `every`, `none` or `count`",
        "\"$item\" 只能用在 `some`、`every`、`none` 或 `count` 的 `where` 中",
    ),
    ("expected a list of literal values, e.g. [\"small\", \"micro\"]", "应为常量值的列表，例如 [\"small\", \"micro\"]"),
    ("list elements must be literal values", "列表元素必须是常量值"),
    ("`{}` takes an object with keys {}", "`{0}` 需要一个对象，键为 {1l}"),
    ("unknown key `{}` in `{}` (allowed: {})", "`{1}` 中有未知的键 `{0}`（可用的键：{2l}）"),
    ("`{}` needs the key `{}`", "`{0}` 缺少键 `{1}`"),
    (
        "a band row is {\"<op>\": bound, \"then\": result} or, last, {\"else\": result}",
        "分档表的一行是 {\"<比较符>\": 界限, \"then\": 结果}，最后一行是 {\"else\": 结果}",
    ),
    ("an `else` row has no other keys", "`else` 行不能有其他键"),
    ("`else` must be the last row", "`else` 必须是最后一行"),
    (
        "a band row is {\"<op>\": bound, \"then\": result}, e.g. {\">=\": 30, \"then\": 20}",
        "分档表的一行是 {\"<比较符>\": 界限, \"then\": 结果}，例如 {\">=\": 30, \"then\": 20}",
    ),
    ("`{}` is not a comparison (use ==, !=, <, <=, >, >=)", "`{0}` 不是比较符（请用 ==、!=、<、<=、>、>=）"),
    (
        "the last row of a band table must be {\"else\": result}, so that every value picks a row",
        "分档表的最后一行必须是 {\"else\": 结果}，使每个值都能落在某一行",
    ),
    ("a part's id is a string", "评分项的 id 必须是字符串"),
    ("score part id `{}` is used twice; give each part its own id", "评分项 id `{0}` 用了两次；每个评分项要有自己的 id"),
    ("a part's label is {\"zh\": …, \"en\": …}: {}", "评分项的 label 是 {\"zh\": …, \"en\": …}：{0t}"),
    ("`{}` cannot be nested inside another list quantifier", "`{0}` 不能嵌套在另一个列表量词（some/every/none/count）中"),
    // Numbers (src/rules/value.rs `parse_decimal`).
    ("`{}` is not a number in range (at most ±10^18, {} decimal places)", "`{0}` 不是范围内的数字（绝对值至多 10^18，至多 {1} 位小数）"),
    ("`{}` is not a number", "`{0}` 不是数字"),
    ("{} is out of range (at most ±10^18)", "{0} 超出范围（绝对值至多 10^18）"),
    ("{} has more than {} decimal places", "{0} 的小数超过 {1} 位"),
    // --- Warnings.
    ("expired on {}, before the as-of date {}", "已于 {0} 失效，早于评估日期 {1}"),
    ("field `{}` is declared but no rule uses it", "字段 `{0}` 已声明，但没有任何规则用到它"),
    ("derived value `{}` is declared but no rule uses it", "派生值 `{0}` 已声明，但没有任何规则用到它"),
    ("`{}` can never be true: `{}` is declared in the range {}..{}", "`{0}` 永远不会成立：`{1}` 声明的取值范围是 {2}..{3}"),
    ("`{}` can never be true: a count is never negative", "`{0}` 永远不会成立：计数不可能是负数"),
    (
        "compares a value in percent (10 means 10%) with a band table whose results ({}) are fractions; if {} are meant, write {}",
        "把百分比数值（10 表示 10%）与结果为小数（{0}）的分档表比较；如果指的是 {1}，请写 {2}",
    ),
    (
        "compares a value in percent (10 means 10%) with {}, which is {}%; if {}% is meant, write {}",
        "把百分比数值（10 表示 10%）与 {0} 比较，即 {1}%；如果指的是 {2}%，请写 {3}",
    ),
    ("{} and {} can never both be true: `{}` and `{}` leave `{}` no possible value", "{0t} 和 {1t} 不可能同时成立：`{2}` 与 `{3}` 使 `{4}` 没有任何可取的值"),
    ("criterion {}: the description says {} but the rule compares with {}; {} is {}", "条件 {0}：说明写的是 {1}，规则却与 {2} 比较；{3} 即 {4}"),
    ("criterion {}: the description says {} but the rule has no such number; check which one is right", "条件 {0}：说明写的是 {1}，规则中却没有这个数；请核对哪一个是对的"),
    ("criterion {}", "条件 {0}"),
    ("`all[{}]`", "`all[{0}]`"),
    (
        "\"{}\" can never match: a city field is compared as the city its address names, and \"{}\" is read as \"{}\"",
        "“{0}”永远不会匹配：城市字段按地址中的城市比较，“{1}”读作“{2}”",
    ),
    (
        "\"{}\" can never match: a city field is compared as the city its address names, and \"{}\" names no city",
        "“{0}”永远不会匹配：城市字段按地址中的城市比较，“{1}”中读不出城市",
    ),
    ("`{}` with an empty list is always true", "`{0}` 对空列表永远成立"),
    ("`{}` with an empty list is always false", "`{0}` 对空列表永远不成立"),
    ("band row {} ({}) can never be chosen: row {} ({}) comes first and takes every value it would", "分档表第 {0} 行（{1}）永远不会被选中：第 {2} 行（{3}）在它前面，已取走它的全部取值"),
    (
        "band row {} ({}) can never be chosen: rows {} ({}) and {} ({}) come first and take every value",
        "分档表第 {0} 行（{1}）永远不会被选中：第 {2} 行（{3}）和第 {4} 行（{5}）在它前面，已取走全部取值",
    ),
];

/// The Chinese text of a catalogue error: from its fields for the kinds
/// that carry them (names, ids, the suggestion), else from its English
/// message ([`message_zh`]).
pub(crate) fn error_zh(e: &CatalogueError) -> String {
    let did_you_mean = |s: &Option<String>| s.as_ref().map(|s| format!("（是否想写 `{s}`？）")).unwrap_or_default();
    match e {
        CatalogueError::TooLarge { size, limit } => format!("政策目录文件有 {size} 字节，超过上限 {limit} 字节"),
        CatalogueError::Format(f) => format!("不支持的格式 `{f}`（应为 `policy-match/catalogue@1`）"),
        CatalogueError::Duplicate { what, id, first } => {
            let what = match *what {
                "policy" => "政策编号",
                "field" => "字段",
                "section" => "问卷分组",
                "criterion" => "条件编号",
                "option" => "选项",
                "name" => "名称",
                "catalogue" => "政策目录编号",
                other => other,
            };
            // (A space before a file name: 首次声明于 zone.json.)
            let first = first
                .as_ref()
                .map(|f| message_zh(f))
                .map(|f| format!("（首次声明于{}{f}）", if f.starts_with(|c: char| c.is_ascii()) { " " } else { "" }))
                .unwrap_or_default();
            format!("{what} `{id}` 重复{first}")
        }
        CatalogueError::Cycle(c) => format!("循环引用：{c}；请删去其中一处引用"),
        CatalogueError::Rule(r) => match r {
            CompileError::UnknownOperator { op, suggestion, .. } => {
                format!("未知的运算符 `{op}`{}（可用的运算符：{}）", did_you_mean(suggestion), names(&OPERATORS.join(" ")))
            }
            CompileError::UnknownVar { name, suggestion, .. } => format!("未知的字段或派生值 `{name}`{}", did_you_mean(suggestion)),
            CompileError::UnknownPolicy { id, suggestion, .. } => format!("不存在的政策 `{id}`{}", did_you_mean(suggestion)),
            CompileError::UnknownOption { value, field, options, suggestion, .. } => {
                format!("`{value}` 不是字段 `{field}` 的选项{}（可选：{}）", did_you_mean(suggestion), names(&options.join(", ")))
            }
            CompileError::TooDeep { max, .. } => format!("表达式嵌套超过 {max} 层"),
            CompileError::Type { message, .. } => format!("类型错误：{}", message_zh(message)),
            CompileError::Shape { message, .. } | CompileError::Literal { message, .. } => message_zh(message),
        },
        CatalogueError::Encoding | CatalogueError::Syntax(_) | CatalogueError::Schema(_) | CatalogueError::Reference(_) | CatalogueError::Invalid(_) => {
            message_zh(&e.to_string())
        }
    }
}

/// The Chinese text of an English error or warning message of the catalogue
/// stage; the message itself when no template reads it.
///
/// # Example
/// ```
/// use policy_match::catalogue::message_zh;
/// assert_eq!(message_zh("missing field `title`"), "缺少必填的键 `title`");
/// assert_eq!(
///     message_zh("stacking refers to unknown policy `hnte_15pct` (did you mean `hnte_15pct_cit_rate`?)"),
///     "叠加规则（stacking）引用了不存在的政策 `hnte_15pct`（是否想写 `hnte_15pct_cit_rate`？）"
/// );
/// ```
pub fn message_zh(en: &str) -> String {
    translate(en, 0).unwrap_or_else(|| en.to_string())
}

/// The Chinese text of `en` by the first template that reads it; `None`
/// when none does (or nesting is deeper than any message's).
fn translate(en: &str, depth: usize) -> Option<String> {
    if depth > 8 {
        return None;
    }
    RULES.iter().find_map(|&(from, to)| {
        let holes = read(from, en)?;
        fill(to, &holes, depth)
    })
}

/// The index of the template that reads `en` at the top level, if any (for
/// the tests: every template must be used by some message).
#[doc(hidden)]
pub fn rule_of(en: &str) -> Option<usize> {
    RULES.iter().position(|&(from, to)| read(from, en).and_then(|h| fill(to, &h, 0)).is_some())
}

/// The templates, (English, Chinese), in the order they are tried (for the
/// tests).
#[doc(hidden)]
pub fn templates() -> &'static [(&'static str, &'static str)] {
    RULES
}

/// The holes of template `from` in `text`, if it reads it: the literal
/// parts must appear in order, the first at the start and the last at the
/// end; a hole takes the shortest text that lets the rest match.
fn read<'t>(from: &str, text: &'t str) -> Option<Vec<&'t str>> {
    let parts: Vec<&str> = from.split("{}").collect();
    let rest = text.strip_prefix(parts[0])?;
    if parts.len() == 1 {
        return rest.is_empty().then(Vec::new);
    }
    let mut holes = Vec::with_capacity(parts.len() - 1);
    holes_from(&parts[1..], rest, &mut holes).then_some(holes)
}

/// Match the literal parts `parts` (each after a hole) against `text`,
/// pushing the holes; backtracks over where each part is found.
fn holes_from<'t>(parts: &[&str], text: &'t str, holes: &mut Vec<&'t str>) -> bool {
    let Some((&lit, more)) = parts.split_first() else { return text.is_empty() };
    if more.is_empty() {
        // The last literal ends the text; the hole before it takes the rest.
        return match text.strip_suffix(lit) {
            Some(hole) => {
                holes.push(hole);
                true
            }
            None => false,
        };
    }
    let mut from = 0;
    while let Some(i) = text.get(from..).and_then(|t| t.find(lit)) {
        let at = from + i;
        holes.push(&text[..at]);
        if holes_from(more, &text[at + lit.len()..], holes) {
            return true;
        }
        holes.pop();
        from = at + text[at..].chars().next().map_or(1, char::len_utf8);
    }
    false
}

/// A list of names as the English messages write it (`` `a`, `b` ``,
/// `` `a` or `b` ``, `a, b`, or the operators `all any not`), each in
/// backticks, joined with 、.
fn names(list: &str) -> String {
    let items: Vec<&str> = if list.contains(", ") {
        list.split(", ").collect()
    } else if list.contains("` or `") {
        list.split(" or ").collect()
    } else {
        list.split(' ').filter(|s| !s.is_empty()).collect()
    };
    let quoted: Vec<String> =
        items.iter().map(|i| if i.len() >= 2 && i.starts_with('`') && i.ends_with('`') { i.to_string() } else { format!("`{i}`") }).collect();
    quoted.join("、")
}

/// Write template `to` with the holes: `{n}` as written, `{nt}` translated
/// (`None` when such a hole has no translation).
fn fill(to: &str, holes: &[&str], depth: usize) -> Option<String> {
    let mut out = String::with_capacity(to.len() + holes.iter().map(|h| h.len()).sum::<usize>());
    let mut rest = to;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let close = after.find('}');
        let spec = close.map(|c| &after[..c]);
        // `{0}`, `{0t}` or `{0l}`: a hole; anything else is a literal brace.
        let (digits, how) = match spec {
            Some(s) if (1..=3).contains(&s.len()) => {
                let digits = s.trim_end_matches(['t', 'l']);
                (digits, &s[digits.len()..])
            }
            _ => ("", ""),
        };
        let hole = digits.bytes().all(|b| b.is_ascii_digit()).then(|| digits.parse::<usize>().ok()).flatten().and_then(|n| holes.get(n));
        match (hole, close) {
            (Some(hole), Some(c)) => {
                match how {
                    "t" => out.push_str(&translate(hole, depth + 1)?),
                    "l" => out.push_str(&names(hole)),
                    "" => out.push_str(hole),
                    _ => return None,
                }
                rest = &after[c + 1..];
            }
            _ => {
                // A literal brace of the text (`{"date": …}`).
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    Some(out)
}
