//! Place names: the city a registration address names.
//!
//! A field declared with `"format": "city"` holds a city, but people and
//! spreadsheets write whole addresses: `浙江省杭州市滨江区`, `杭州市滨江区网商路599号`,
//! `浙江杭州`, `Binjiang District, Hangzhou, Zhejiang`. Compared as whole
//! strings, none of them is `杭州市`, and a Hangzhou enterprise would silently
//! fail a Hangzhou-only policy. [`city_of`] reads the city out of such a text,
//! so that rules compare cities; the profile keeps what was written.

/// The provinces whose two-character names may be written without `省` before
/// a city (`浙江杭州`), one after the other (six bytes each in UTF-8).
const PROVINCES: &str = "河北山西辽宁吉林江苏浙江安徽福建江西山东河南湖北湖南广东海南四川贵州云南陕西甘肃青海台湾广西西藏宁夏新疆";

/// The same for the three-character names.
const PROVINCES_3: &str = "黑龙江内蒙古";

/// How the name of a province-level division ends (`浙江省`, `广西壮族自治区`).
const PROVINCE_ENDINGS: [&str; 3] = ["省", "自治区", "特别行政区"];

/// How the name of a prefecture-level division ends: a city (`杭州市`), an
/// autonomous prefecture, a prefecture or a league; or, where no city comes
/// first, a county (`浙江省桐庐县`: a business licence in a county names the
/// province and the county, not the city above it).
const CITY_ENDINGS: [&str; 5] = ["市", "自治州", "地区", "盟", "县"];

/// The parts of an English address that are not the city.
const NOT_CITY_EN: [&str; 13] =
    [" district", " subdistrict", " town", " township", " village", " county", " province", " new area", " zone", " park", " road", " street", " avenue"];

/// The city a place name or address names, as a slice of it: the province
/// before it and the district, street and number after it are dropped.
/// A text that names no city in a form it recognises is returned trimmed,
/// whole. `None` for a text that names a place inside a city but not the
/// city (`滨江区`, `长河街道`, `Binjiang District`), or only a province
/// (`浙江省`): no city can be read from it, and comparing it whole with
/// `杭州市` would silently fail a Hangzhou enterprise.
///
/// Chinese: an optional `中国`, a province (`浙江省`, `浙江`, `广西壮族自治区`;
/// a municipality such as `上海市` is the city), then the city up to its
/// `市` (or `自治州`, `地区`, `盟`). A county-level city or a county written
/// after the province reads as itself (`浙江省建德市` as `建德市`,
/// `浙江省桐庐县城南街道` as `桐庐县`): a rule for a whole city lists them.
/// English: the first comma-separated part
/// that is not a subdistrict, town, district, county, province, zone, park,
/// street or a part with a number (`Room 1201`), without a trailing ` City`;
/// where there is none, a county (`Tonglu County, Zhejiang` as `Tonglu`). Letter case is kept here; rules compare cities without it
/// (`hangzhou` meets `in ["Hangzhou"]`).
///
/// # Example
/// ```
/// use policy_match::rules::city_of;
/// assert_eq!(city_of("浙江省杭州市滨江区网商路599号"), Some("杭州市"));
/// assert_eq!(city_of("浙江杭州"), Some("杭州"));
/// assert_eq!(city_of("杭州市"), Some("杭州市"));
/// assert_eq!(city_of("上海市浦东新区"), Some("上海市"));
/// assert_eq!(city_of("浙江省宁波市杭州湾新区"), Some("宁波市"));
/// assert_eq!(city_of("Binjiang District, Hangzhou, Zhejiang"), Some("Hangzhou"));
/// assert_eq!(city_of("Hangzhou City"), Some("Hangzhou"));
/// assert_eq!(city_of("滨江区长河街道"), None); // which city's 滨江区?
/// assert_eq!(city_of("Binjiang District, Zhejiang"), None);
/// ```
pub fn city_of(s: &str) -> Option<&str> {
    let s = s.trim();
    if s.is_ascii() {
        return city_of_en(s);
    }
    let mut rest = s;
    for country in ["中华人民共和国", "中国"] {
        if let Some(r) = rest.strip_prefix(country) {
            rest = r.trim();
            break;
        }
    }
    let rest = without_province(rest);
    // The city ends at the first ending that has a name before it.
    for (i, _) in rest.char_indices().skip(1) {
        for e in CITY_ENDINGS {
            if rest[i..].starts_with(e) {
                return Some(&rest[..i + e.len()]);
            }
        }
    }
    if rest.is_empty() {
        // A province alone names no city; 香港特别行政区 is one.
        return s.ends_with("特别行政区").then_some(s);
    }
    // A district, subdistrict, town, township, street or number with no
    // city before it.
    if ["区", "街", "镇", "乡", "路", "号"].iter().any(|p| rest.contains(p)) {
        return None;
    }
    Some(rest)
}

/// `rest` after its province: up to the province's ending (in its first
/// eight characters), or after a province's short name followed by more
/// than a city ending (`浙江杭州`; but `吉林市` is a city of 吉林省).
fn without_province(rest: &str) -> &str {
    for (i, _) in rest.char_indices().take(8) {
        for e in PROVINCE_ENDINGS {
            if rest[i..].starts_with(e) {
                return rest[i + e.len()..].trim();
            }
        }
    }
    for (names, n) in [(PROVINCES_3, 9), (PROVINCES, 6)] {
        let (Some(name), Some(city)) = (rest.get(..n), rest.get(n..)) else { continue };
        if city.is_empty() || city.starts_with('市') {
            continue;
        }
        let mut at = 0;
        while at + n <= names.len() {
            if names.get(at..at + n) == Some(name) {
                return city.trim();
            }
            at += n;
        }
    }
    rest
}

/// Province-level names in pinyin, written without "Province" (`Tonglu
/// County, Zhejiang`), and the country, separated by commas.
const PROVINCES_EN: &str = "hebei,shanxi,liaoning,jilin,heilongjiang,jiangsu,zhejiang,anhui,fujian,jiangxi,shandong,henan,hubei,hunan,guangdong,hainan,sichuan,guizhou,yunnan,shaanxi,gansu,qinghai,taiwan,inner mongolia,guangxi,tibet,xizang,ningxia,xinjiang,china,prc";

/// [`city_of`] for a text in ASCII: the first part that is a city; where
/// none is, a county (`Tonglu County, Zhejiang` is `Tonglu`, as
/// `浙江省桐庐县` is `桐庐县`); else none if a part names a place inside a
/// city (`Binjiang District`); else a province's bare name (`Zhejiang`,
/// `Jilin`: also a city); else none for a named province alone
/// (`Zhejiang Province`, as `浙江省`).
fn city_of_en(s: &str) -> Option<&str> {
    // `s` is ASCII: any byte offset is a character boundary.
    let ends_with = |part: &str, e: &str| part.len() > e.len() && part[part.len() - e.len()..].eq_ignore_ascii_case(e);
    let (mut county, mut province, mut inside, mut named_province) = (None, None, false, false);
    for part in s.split(',').map(str::trim) {
        if part.is_empty() {
            continue;
        }
        if part.bytes().any(|b| b.is_ascii_digit()) {
            inside = true; // a room or street number
            continue;
        }
        if ends_with(part, " county") {
            county = county.or(Some(part[..part.len() - 7].trim_end()));
        } else if NOT_CITY_EN.iter().any(|e| ends_with(part, e)) {
            let p = ends_with(part, " province");
            named_province |= p;
            inside |= !p;
        } else if PROVINCES_EN.split(',').any(|p| p.eq_ignore_ascii_case(part)) {
            province = province.or(Some(part));
        } else if ends_with(part, " city") {
            return Some(part[..part.len() - 5].trim_end());
        } else {
            return Some(part);
        }
    }
    match (county, inside, province) {
        (Some(c), _, _) => Some(c),
        (None, true, _) => None,
        (None, false, Some(p)) => Some(p),
        (None, false, None) => (!named_province).then_some(s),
    }
}

#[cfg(test)]
mod tests {
    use super::city_of;

    #[test]
    fn chinese_addresses_name_their_city() {
        for (text, city) in [
            ("杭州", "杭州"),
            ("杭州市", "杭州市"),
            (" 杭州市滨江区 ", "杭州市"),
            ("浙江省杭州市滨江区网商路599号", "杭州市"),
            ("中国浙江省杭州市", "杭州市"),
            ("浙江杭州", "杭州"),
            ("浙江杭州市余杭区", "杭州市"),
            ("浙江省杭州市建德市", "杭州市"),
            ("浙江省宁波市杭州湾新区", "宁波市"),
            ("北京市朝阳区", "北京市"),
            ("北京", "北京"),
            ("上海市浦东新区张江路", "上海市"),
            ("吉林省吉林市", "吉林市"),
            ("吉林市船营区", "吉林市"),
            ("广西壮族自治区南宁市青秀区", "南宁市"),
            ("内蒙古自治区呼和浩特市", "呼和浩特市"),
            ("内蒙古锡林郭勒盟锡林浩特市", "锡林郭勒盟"),
            ("吉林省延边朝鲜族自治州延吉市", "延边朝鲜族自治州"),
            ("黑龙江省大兴安岭地区", "大兴安岭地区"),
            ("济南市市中区", "济南市"),
            // Counties and county-level cities written after the province.
            ("浙江省建德市新安江街道", "建德市"),
            ("浙江省桐庐县城南街道迎春南路", "桐庐县"),
            ("浙江淳安县千岛湖镇", "淳安县"),
            ("浙江省杭州市桐庐县", "杭州市"),
            ("江苏省昆山市玉山镇", "昆山市"),
            ("云南省峨山彝族自治县", "峨山彝族自治县"),
            ("浙江", "浙江"),
            ("香港特别行政区", "香港特别行政区"),
        ] {
            assert_eq!(city_of(text), Some(city), "{text}");
        }
    }

    /// A district, subdistrict or town with no city before it, or a
    /// province alone, names no city: which city's 鼓楼区?
    #[test]
    fn a_place_inside_a_city_alone_names_no_city() {
        for text in [
            "滨江区",
            "滨江区长河街道江南大道3850号",
            "长河街道",
            "千岛湖镇",
            "浙江省滨江区",
            "宁波杭州湾新区",
            "杭州高新区",
            "浙江省",
            "中国浙江省",
            "广西壮族自治区",
            "Binjiang District",
            "Changhe Subdistrict, Binjiang District",
            "Binjiang District, Zhejiang",
            "599 Wangshang Road, Binjiang District, Zhejiang Province, China",
            "Zhejiang Province",
            "Room 1201",
            "网商路599号",
        ] {
            assert_eq!(city_of(text), None, "{text}");
        }
    }

    #[test]
    fn english_addresses_name_their_city() {
        for (text, city) in [
            ("Hangzhou", "Hangzhou"),
            ("hangzhou", "hangzhou"),
            ("Hangzhou City", "Hangzhou"),
            ("Hangzhou, Zhejiang", "Hangzhou"),
            ("Binjiang District, Hangzhou, Zhejiang Province, China", "Hangzhou"),
            ("599 Wangshang Road, Binjiang District, Hangzhou", "Hangzhou"),
            // A subdistrict (街道) or town (镇) comes first in an English address.
            ("Changhe Subdistrict, Binjiang District, Hangzhou, Zhejiang", "Hangzhou"),
            ("Qiandaohu Town, Chun'an, Zhejiang", "Chun'an"),
            ("Room 1201, Building 3, Hangzhou Hi-tech Industrial Park, Xihu District, Hangzhou", "Hangzhou"),
            ("Jianshe Avenue, Hangzhou", "Hangzhou"),
            // A county with no city after it reads as itself; with one, the city.
            ("Chengnan Subdistrict, Tonglu County, Zhejiang", "Tonglu"),
            ("Tonglu County, Zhejiang Province, China", "Tonglu"),
            ("Tonglu County, Hangzhou, Zhejiang", "Hangzhou"),
            // A province's name is not a city, unless it stands alone or is one.
            ("Zhejiang", "Zhejiang"),
            ("Jilin City, Jilin", "Jilin"),
            ("Jilin, Jilin Province", "Jilin"),
            ("Haidian District, Beijing, China", "Beijing"),
            ("", ""),
            ("City", "City"),
        ] {
            assert_eq!(city_of(text), Some(city), "{text}");
        }
    }
}
