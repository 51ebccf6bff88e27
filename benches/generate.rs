//! Writes a synthetic workspace of N valid cases, deterministic for a seed, for benchmarks.
//!
//!     cargo bench --bench generate -- DIR N [SEED] [--office=PREFIX]
//!     cargo bench --bench generate -- --spreadsheet=FILE N [SEED]
//!
//! With `--office=THR`, the workspace is an office's: ids THR-YYYY-NNNNN, the name `Office THR`,
//! and its own caseworkers (`thr.cw000`, `thr.sup00`), so that several generated offices are the
//! offices of one organisation (their cases have `SYN` and `cw000` otherwise).
//!
//! With `--spreadsheet`, it writes instead a CSV file of N clients as an office keeps them, in
//! the columns of sample-cases/import/office.csv (its map reads it): Persian headers, Solar
//! Hijri dates in Persian or Latin digits, national ids without their leading zeros.
//!
//! The cases spread over the five programs and six phases, with assessments, plans, services,
//! reviews and closures, a roster in cm.toml, and Persian and Latin names. Each service's updates
//! walk the moves its status allows, and a final one has its `ended`. Every kind of event of the
//! case file is there: decisions about consent (a tenth decide again), changes of risk, contacts
//! (one to four from the assessment on), transfers to another caseworker (a tenth of the cases
//! past assessment), reopened cases (a thirtieth of the closed ones, with their earlier episode),
//! and households of siblings linked both ways (a fifth of the cases). A case is about 3.2 KB.
//! Every case is valid as of 2026-11-01 (`cm -C DIR validate --as-of 2026-11-01` reports
//! nothing). It is a bench target,
//! not a `cm` subcommand, so that users never see it and it builds only when asked for.

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::Path;

use chrono::{Days, NaiveDate};

const PROGRAMS: &[&str] = &[
    "child-protection",
    "disability",
    "female-headed-household",
    "older-person",
    "general",
];
const PHASES: &[&str] = &[
    "intake",
    "assessment",
    "planning",
    "implementation",
    "monitoring",
    "closed",
];
const RISKS: &[&str] = &["low", "medium", "high", "critical"];
const DOMAINS: &[&str] = &[
    "income",
    "employment",
    "housing",
    "health",
    "mental_health",
    "education",
    "legal",
    "family",
    "safety",
    "social_support",
];
const REASONS: &[&str] = &[
    "goals-achieved",
    "transferred",
    "client-withdrew",
    "lost-contact",
    "moved",
    "deceased",
    "other",
];
/// First names by sex, and last names: each in Persian script, then its Latin spellings.
const FEMALE: &[(&str, &[&str])] = &[
    ("مریم", &["Maryam", "Mariam"]),
    ("فاطمه", &["Fatemeh", "Fatemah", "Fatima"]),
    ("زهرا", &["Zahra"]),
    ("سکینه", &["Sakineh", "Sakine"]),
    ("نرگس", &["Narges"]),
    ("لیلا", &["Leila", "Leyla", "Layla"]),
    ("معصومه", &["Masoumeh", "Masoomeh", "Masumeh"]),
    ("زینب", &["Zeynab", "Zainab"]),
    ("طاهره", &["Tahereh", "Tahere"]),
    ("سمیه", &["Somayeh", "Somaye"]),
    ("اعظم", &["Azam", "Aazam"]),
    ("راضیه", &["Razieh", "Raziyeh"]),
    ("صدیقه", &["Sedigheh", "Sediqeh"]),
    ("شهلا", &["Shahla"]),
    ("پروین", &["Parvin"]),
    ("منیژه", &["Manijeh", "Manizheh"]),
    ("فرشته", &["Fereshteh", "Fereshte"]),
    ("کبری", &["Kobra"]),
    ("رقیه", &["Roghayeh", "Roqayeh"]),
    ("الهام", &["Elham"]),
];
const MALE: &[(&str, &[&str])] = &[
    ("علی", &["Ali"]),
    ("محمد", &["Mohammad", "Mohammed", "Muhammad"]),
    ("رضا", &["Reza"]),
    ("حسین", &["Hossein", "Hosein", "Hussein"]),
    ("حسن", &["Hassan", "Hasan"]),
    ("مهدی", &["Mahdi", "Mehdi"]),
    ("امیر", &["Amir"]),
    ("جواد", &["Javad"]),
    ("مصطفی", &["Mostafa", "Mustafa"]),
    ("ابوالفضل", &["Abolfazl", "Abolfazel"]),
    ("عباس", &["Abbas"]),
    ("محسن", &["Mohsen"]),
    ("سعید", &["Saeed", "Saeid"]),
    ("حمید", &["Hamid"]),
    ("مجید", &["Majid"]),
    ("یوسف", &["Yousef", "Yusef"]),
    ("اکبر", &["Akbar"]),
    ("کاظم", &["Kazem", "Kazim"]),
    ("قاسم", &["Ghasem", "Qasem"]),
    ("صادق", &["Sadegh", "Sadeq"]),
];
const LAST: &[(&str, &[&str])] = &[
    ("رضایی", &["Rezaei", "Rezaee", "Rezaie"]),
    ("محمدی", &["Mohammadi", "Mohamadi"]),
    ("حسینی", &["Hosseini", "Hoseini"]),
    ("کریمی", &["Karimi"]),
    ("احمدی", &["Ahmadi"]),
    ("مرادی", &["Moradi"]),
    ("جعفری", &["Jafari", "Jaafari"]),
    ("موسوی", &["Mousavi", "Musavi"]),
    ("رحیمی", &["Rahimi"]),
    ("کاظمی", &["Kazemi"]),
    ("قاسمی", &["Ghasemi", "Qasemi"]),
    ("صادقی", &["Sadeghi", "Sadeqi"]),
    ("نوری", &["Nouri", "Noori"]),
    ("عباسی", &["Abbasi"]),
    ("حیدری", &["Heidari", "Heydari"]),
    ("اکبری", &["Akbari"]),
    ("سلیمانی", &["Soleimani", "Soleymani"]),
    ("یوسفی", &["Yousefi", "Yusefi"]),
    ("امیری", &["Amiri"]),
    ("بهرامی", &["Bahrami"]),
    ("شریفی", &["Sharifi"]),
    ("طاهری", &["Taheri"]),
    ("زارعی", &["Zarei", "Zareie"]),
    ("نجفی", &["Najafi"]),
    ("عزیزی", &["Azizi"]),
    ("خسروی", &["Khosravi"]),
    ("ملکی", &["Maleki"]),
    ("فتحی", &["Fathi"]),
    ("حسن\u{200c}زاده", &["Hassanzadeh", "Hasanzadeh"]),
    ("عبداللهی", &["Abdollahi", "Abdolahi"]),
];
const SERVICES: &[&str] = &[
    "cash-assistance",
    "vocational-training",
    "legal-aid",
    "counselling",
    "health-insurance",
    "rent-deposit-loan",
];
const STRENGTHS: &[&str] = &[
    "Close to her sister, who lives two streets away and helps with the children",
    "مادر با انگیزه است و در کلاس‌های خیاطی شرکت کرده است",
    "The older son works part-time and contributes to the rent",
    "Good relationship with the neighbourhood mosque's charity committee",
    "Literate; keeps the household's papers in order",
    "فرزندان در مدرسه حضور منظم دارند",
];
const NEEDS: &[&str] = &[
    "Rent arrears of three months; the landlord has threatened eviction",
    "نیاز به بیمه سلامت برای درمان بیماری قلبی",
    "No regular income since the husband's death in 2024",
    "The youngest child has not been vaccinated and has no birth certificate",
    "Depression after the divorce; not sleeping, not eating well",
    "بدهی به بانک و ضامن شدن برای برادر",
];
const GOALS: &[&str] = &[
    "Regular monthly income from the home sewing workshop",
    "Household enrolled in Emdad monthly support and health insurance",
    "فرزند کوچک‌تر شناسنامه بگیرد و در مدرسه ثبت‌نام شود",
    "Rent deposit loan approved and arrears paid",
    "Weekly counselling sessions attended for three months",
    "مادر در دوره آموزش فنی و حرفه‌ای ثبت‌نام کند",
];
const PROVIDERS: &[&str] = &[
    "Imam Khomeini Relief Foundation (Emdad), District 12",
    "Technical and Vocational Training Organisation, Tehran",
    "Behzisti family counselling centre, District 20",
    "کانون وکلای دادگستری، مرکز مشاوره حقوقی رایگان",
    "Salamat health insurance office, Shahr-e Rey",
];
/// Why a provider declines (the `reason` of an update to `declined`).
const DECLINES: &[&str] = &[
    "client-refused",
    "no-capacity",
    "not-eligible",
    "not-needed",
    "client-unreachable",
    "provider-unreachable",
    "other",
];
/// A service's status, and the updates that walk it there from `referred`, as the moves allow.
const WALKS: &[(&str, &[&str])] = &[
    ("referred", &[]),
    ("accepted", &["accepted"]),
    ("in-progress", &["accepted", "in-progress"]),
    ("completed", &["accepted", "completed"]),
    ("completed", &["accepted", "in-progress", "completed"]),
    ("declined", &["declined"]),
    ("cancelled", &["accepted", "in-progress", "cancelled"]),
];
const UPDATE_NOTES: &[&str] = &[
    "Phoned the centre; the first session is booked.",
    "با مددجو تماس گرفته شد؛ مدارک تکمیل شد.",
    "The provider asked for a copy of the insurance booklet.",
];
const CONTACTS: &[&str] = &[
    "home-visit",
    "office-visit",
    "phone",
    "message",
    "group",
    "other",
];

const NOTES: &[&str] = &[
    "Home visit. The rent is paid for now; the children were at school.",
    "تماس تلفنی؛ مادر از شروع کلاس‌ها راضی است ولی هزینه رفت‌وآمد زیاد است.",
    "Met at the office with the eldest daughter. Waiting for the insurance card.",
    "Missed the appointment; reached by phone two days later, will come next week.",
    "وضعیت روحی بهتر شده است. جلسات مشاوره را منظم می‌رود.",
];
const CASEWORKERS: usize = 200;
const SUPERVISORS: usize = 10;

/// splitmix64: a small, well-mixed generator, enough for reproducible test data.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    let (flags, args): (Vec<&String>, Vec<&String>) =
        args.iter().partition(|a| a.starts_with("--"));
    let flag = |name: &str| {
        flags
            .iter()
            .find_map(|f| f.strip_prefix(name)?.strip_prefix('='))
    };
    let duplicates = flag("--duplicates").and_then(|p| p.parse::<usize>().ok());
    let office = flag("--office").map_or_else(Office::default, Office::new);
    let usage = "usage: cargo bench --bench generate -- DIR N [SEED] [--duplicates=PERCENT] [--office=PREFIX]\n       cargo bench --bench generate -- --spreadsheet=FILE N [SEED]";
    let (first, rest) = match flag("--spreadsheet") {
        Some(file) => (Some(file), &args[..]),
        None => (
            args.first().map(|a| a.as_str()),
            args.get(1..).unwrap_or(&[]),
        ),
    };
    let (Some(first), Some(n)) = (first, rest.first().and_then(|n| n.parse::<usize>().ok())) else {
        eprintln!("{usage}");
        std::process::exit(2);
    };
    let seed = rest.get(1).and_then(|s| s.parse().ok()).unwrap_or(1);
    let written = match flag("--spreadsheet") {
        Some(_) => spreadsheet(Path::new(first), n, seed),
        None => generate_as(Path::new(first), n, seed, duplicates, &office),
    };
    written.unwrap_or_else(|e| {
        eprintln!("generate: {e}");
        std::process::exit(2);
    });
}

/// Writes a CSV file of `n` clients at `file`, as the sample office keeps them (see the
/// module's documentation); deterministic for `seed`.
fn spreadsheet(file: &Path, n: usize, seed: u64) -> std::io::Result<()> {
    const PROGRAMS: &[&str] = &["زنان سرپرست خانوار", "کودکان", "معلولان"];
    let mut rng = Rng(seed);
    let mut csv = String::from("نام,جنسیت,تاریخ تولد,کد ملی,مددکار,برنامه,تاریخ پذیرش\n");
    let first_day = NaiveDate::from_ymd_opt(2023, 3, 21).expect("a date");
    for _ in 0..n {
        let with_national_id = rng.below(10) != 0;
        let client = Client::new(&mut rng, with_national_id);
        let opened = first_day + Days::new(rng.below(1300) as u64);
        let _ = writeln!(
            csv,
            "{},{},{},{},سارا احمدی,{},{}",
            client.name,
            if client.female { "زن" } else { "مرد" },
            solar_hijri(&mut rng, client.born),
            client
                .national_id
                .map(|n| n.to_string())
                .unwrap_or_default(),
            rng.pick(PROGRAMS),
            solar_hijri(&mut rng, opened),
        );
    }
    std::fs::write(file, csv)
}

/// `date` as an office types it: Solar Hijri, `1365/4/30` or `1365/04/30`, in Persian digits
/// half the time.
fn solar_hijri(rng: &mut Rng, date: NaiveDate) -> String {
    let Some(j) = cm_base::calendar::to_jalali(date) else {
        return String::new();
    };
    let text = if rng.below(2) == 0 {
        format!("{}/{:02}/{:02}", j.year, j.month, j.day)
    } else {
        format!("{}/{}/{}", j.year, j.month, j.day)
    };
    if rng.below(2) == 0 {
        return text;
    }
    text.chars()
        .map(|c| match c.to_digit(10) {
            Some(d) => char::from_u32(0x06F0 + d).unwrap_or(c),
            None => c,
        })
        .collect()
}

/// Writes a workspace of `n` cases into `dir` (deterministic for `seed`). The tests use it too.
pub fn generate(dir: &Path, n: usize, seed: u64) -> std::io::Result<()> {
    generate_as(dir, n, seed, None, &Office::default())
}

/// The office a workspace is generated for: its id prefix, and what its staff's ids begin with.
pub struct Office {
    pub prefix: String,
    pub staff: String,
}

impl Default for Office {
    fn default() -> Office {
        Office {
            prefix: "SYN".into(),
            staff: String::new(),
        }
    }
}

impl Office {
    /// The office of `prefix`, with its own staff.
    pub fn new(prefix: &str) -> Office {
        Office {
            prefix: prefix.to_string(),
            staff: format!("{}.", prefix.to_lowercase()),
        }
    }
}

/// [`generate`]; with `duplicates`, clients known twice are planted: that percentage of the
/// cases (after the first hundred) are of the client of an earlier case, with the name spelt
/// another way (the other script, another Latin spelling, Arabic letters, a letter lost), the
/// same sex and birth date (or only its year), and no national id; a quarter of the other
/// clients have no national id either. The planted pairs are written to `planted.csv`
/// (case,other), to measure what `cm report duplicates` finds. Cases may then warn
/// (`possible-duplicate`).
pub fn generate_as(
    dir: &Path,
    n: usize,
    seed: u64,
    duplicates: Option<usize>,
    office: &Office,
) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let name = match office.staff.is_empty() {
        true => "Synthetic".to_string(),
        false => format!("Office {}", office.prefix),
    };
    let mut toml = format!(
        "[workspace]\nname = \"{name}\"\nid_prefix = \"{}\"\n\n[workflow]\napproval = [\"planning\", \"closed\"]\n\n[assessment]\ndomains = [",
        office.prefix
    );
    toml.push_str(
        &DOMAINS
            .iter()
            .map(|d| format!("\"{d}\""))
            .collect::<Vec<_>>()
            .join(", "),
    );
    toml.push_str("]\n");
    for i in 0..CASEWORKERS {
        let _ = write!(
            toml,
            "\n[[caseworkers]]\nid = \"{}cw{i:03}\"\nmax_caseload = 1000\n",
            office.staff
        );
    }
    for i in 0..SUPERVISORS {
        let _ = write!(
            toml,
            "\n[[caseworkers]]\nid = \"{}sup{i:02}\"\nsupervisor = true\n",
            office.staff
        );
    }
    std::fs::write(dir.join("cm.toml"), toml)?;
    let mut rng = Rng(seed);
    let mut extra = Rng(seed ^ 0x9e37_79b9_7f4a_7c15);
    let mut numbers = std::collections::HashMap::new();
    let mut clients: Vec<(String, Client)> = Vec::with_capacity(n);
    let mut files: Vec<std::path::PathBuf> = Vec::with_capacity(n);
    let mut planted = String::from("case,other\n");
    for i in 0..n {
        let year = if rng.below(3) == 0 { 2025 } else { 2026 };
        let number = numbers.entry(year).or_insert(0u32);
        *number += 1;
        let id = format!("{}-{year}-{:05}", office.prefix, number);
        let client = match duplicates {
            Some(percent) if i >= 100 && rng.below(100) < percent => {
                let (other, earlier) = &clients[rng.below(clients.len())];
                let _ = writeln!(planted, "{id},{other}");
                earlier.again(&mut rng)
            }
            Some(_) => {
                let with_national_id = rng.below(4) != 0;
                Client::new(&mut rng, with_national_id)
            }
            None => Client::new(&mut rng, true),
        };
        let text = case(&mut rng, &mut extra, &id, year, &client, &office.staff);
        let folder = dir.join("cases").join(year.to_string());
        std::fs::create_dir_all(&folder)?;
        let path = folder.join(format!("{id}.yaml"));
        std::fs::write(&path, text)?;
        clients.push((id, client));
        files.push(path);
    }
    // One case in ten is of a sibling of the next case's client: one household, linked both ways.
    for k in (3..n.saturating_sub(1)).step_by(10) {
        let household = format!("HH-{}", clients[k].0);
        for (this, other) in [(k, k + 1), (k + 1, k)] {
            let mut file = std::fs::OpenOptions::new()
                .append(true)
                .open(&files[this])?;
            writeln!(
                file,
                "household: {household}\nlinks:\n  - {{case: {}, relation: sibling}}",
                clients[other].0
            )?;
        }
    }
    if duplicates.is_some() {
        std::fs::write(dir.join("planted.csv"), planted)?;
    }
    Ok(())
}

/// A generated client: the indexes of the first and last names, and how they are written.
#[derive(Clone)]
struct Client {
    female: bool,
    first: usize,
    last: usize,
    name: String,
    born: NaiveDate,
    /// Only the year of birth is known.
    year_only: bool,
    national_id: Option<u64>,
}

impl Client {
    fn new(rng: &mut Rng, with_national_id: bool) -> Client {
        let female = rng.below(2) == 0;
        let first = rng.below(if female { FEMALE.len() } else { MALE.len() });
        let last = rng.below(LAST.len());
        let born = NaiveDate::from_ymd_opt(1940, 1, 1).expect("a date")
            + Days::new(rng.below(70 * 365) as u64);
        let national_id = with_national_id.then(|| rng.next() % 10_000_000_000);
        let mut client = Client {
            female,
            first,
            last,
            name: String::new(),
            born,
            year_only: false,
            national_id,
        };
        client.name = client.spell(rng, false);
        client
    }

    /// The same person, come again: the name spelt as a clerk may spell it, the same sex and
    /// birth (or only its year), without a national id.
    fn again(&self, rng: &mut Rng) -> Client {
        let mut client = self.clone();
        client.name = self.spell(rng, true);
        client.year_only = rng.below(100) < 15;
        client.national_id = None;
        client
    }

    /// The name, in Persian script (three times in five) or Latin; `varied`, with Arabic
    /// letters half the time, and one time in ten a letter of the last name lost.
    fn spell(&self, rng: &mut Rng, varied: bool) -> String {
        let first = if self.female { FEMALE } else { MALE }[self.first];
        let last = LAST[self.last];
        let mut name = if rng.below(5) < 3 {
            let persian = format!("{} {}", first.0, last.0);
            if varied && rng.below(2) == 0 {
                persian.replace('ی', "ي").replace('ک', "ك")
            } else {
                persian
            }
        } else {
            format!("{} {}", rng.pick(first.1), rng.pick(last.1))
        };
        if varied && rng.below(10) == 0 {
            let chars: Vec<char> = name.chars().collect();
            let space = chars.iter().position(|c| *c == ' ').unwrap_or(0);
            let lost = space + 2 + rng.below(chars.len() - space - 2);
            name = chars
                .iter()
                .enumerate()
                .filter(|(k, _)| *k != lost)
                .map(|(_, c)| c)
                .collect();
        }
        name
    }
}

/// The text of case `id`. `rng` draws what the case is; `extra` the events added since the
/// benchmark was first written (contacts, a transfer, a reopening), so that the rest of a
/// generated workspace stays what it was for the same seed.
fn case(
    rng: &mut Rng,
    extra: &mut Rng,
    id: &str,
    year: i32,
    client: &Client,
    staff: &str,
) -> String {
    let last = NaiveDate::from_ymd_opt(2026, 11, 1).expect("a date");
    let start = NaiveDate::from_ymd_opt(year, 1, 1).expect("a date");
    let end = NaiveDate::from_ymd_opt(year, 12, 31)
        .expect("a date")
        .min(last - Days::new(120));
    let opened = start + Days::new(rng.below((end - start).num_days().max(1) as usize) as u64);
    // Most of a real caseload is being served or closed, few cases are just opened.
    let stage = match rng.below(100) {
        0..8 => 0,
        8..16 => 1,
        16..23 => 2,
        23..43 => 3,
        43..70 => 4,
        _ => 5,
    };
    let phase = PHASES[stage];
    let cw_number = rng.below(CASEWORKERS);
    let cw = format!("{staff}cw{cw_number:03}");
    let sup = format!("{staff}sup{:02}", rng.below(SUPERVISORS));
    let risk = rng.pick(RISKS);
    // One case in ten past assessment passed to another caseworker; one closed case in thirty
    // reopened since, and at intake again.
    let passed_to = (stage >= 2 && extra.below(10) == 0).then(|| {
        let other = (cw_number + 1 + extra.below(CASEWORKERS - 1)) % CASEWORKERS;
        format!("{staff}cw{other:03}")
    });
    let reopened = stage == 5 && extra.below(30) == 0;
    let mut day = opened;
    let mut step = |rng: &mut Rng| {
        day = day + Days::new(1 + rng.below(8) as u64);
        day
    };
    let mut t = String::with_capacity(4096);
    let _ = write!(
        t,
        "# yaml-language-server: $schema=../../schemas/case.schema.json\nid: {id}\nprogram: {}\nopened: {opened}\ncaseworker: {}\nrisk: {risk}\nphase: {}\n",
        rng.pick(PROGRAMS),
        passed_to.as_deref().unwrap_or(&cw),
        if reopened { "intake" } else { phase }
    );
    let _ = write!(
        t,
        "client:\n  name: {}\n  sex: {}\n",
        client.name,
        if client.female { "female" } else { "male" }
    );
    if client.year_only {
        let _ = writeln!(t, "  birth_year: {}", client.born.format("%Y"));
    } else {
        let _ = writeln!(t, "  birth_date: {}", client.born);
    }
    if let Some(nid) = client.national_id {
        let _ = writeln!(t, "  national_id: \"{nid:010}\"");
    }
    let _ = write!(
        t,
        "  phone: \"+98 912 {:03} {:04}\"\n  address: \"District {}, Tehran, {} Street, No. {}\"\n  household_size: {}\n",
        rng.below(1000),
        rng.below(10_000),
        1 + rng.below(22),
        rng.pick(&["Navab", "Valiasr", "Khavaran", "Piroozi"]),
        1 + rng.below(200),
        1 + rng.below(7)
    );
    let _ = write!(
        t,
        "consent:\n  given: true\n  date: {opened}\n  share_with: [behzisti]\n"
    );
    // One client in ten decides again about consent the next day: shares with one more
    // organisation, or, in a case since closed, withdraws (an open case would warn).
    if rng.below(10) == 0 {
        let (decision, shared) = match (stage, rng.below(2)) {
            (5, 0) => ("withdrawn", ""),
            _ => ("given", ", share_with: [behzisti, emdad]"),
        };
        let _ = write!(
            t,
            "  updates:\n    - {{date: {}, decision: {decision}{shared}, by: {cw}, note: \"{}\"}}\n",
            opened + Days::new(1),
            rng.pick(UPDATE_NOTES)
        );
    }
    // The risk at intake; a case with reviews has the risk its reviews decide.
    let intake_risk = if stage >= 4 { rng.pick(RISKS) } else { risk };
    let mut history = vec![format!(
        "  - {{date: {opened}, phase: intake, by: {cw}, risk: {intake_risk}, note: \"{}\"}}",
        rng.pick(&[
            "Referred by the district municipality's social desk",
            "مراجعه حضوری به دفتر با معرفی مسجد محل",
            "Referred by the school counsellor",
        ])
    )];
    let domains: Vec<&str> = DOMAINS
        .iter()
        .copied()
        .filter(|_| rng.below(2) == 0)
        .collect();
    let domains = if domains.is_empty() {
        vec!["income"]
    } else {
        domains
    };
    let mut dates = Vec::new();
    if stage >= 1 {
        dates.push(step(rng));
        history.push(format!(
            "  - {{date: {}, phase: assessment, by: {cw}}}",
            dates[0]
        ));
    }
    if stage >= 2 {
        let _ = write!(t, "assessment:\n  date: {}\n  domains:\n", dates[0]);
        for d in &domains {
            let _ = writeln!(t, "    {d}: {}", 1 + rng.below(3));
        }
        for (key, list) in [("strengths", STRENGTHS), ("needs", NEEDS)] {
            let _ = writeln!(t, "  {key}:");
            for _ in 0..2 + rng.below(2) {
                let _ = writeln!(t, "    - \"{}\"", rng.pick(list));
            }
        }
        let planning = step(rng);
        history.push(format!(
            "  - {{date: {planning}, phase: planning, by: {cw}, approved_by: {sup}}}"
        ));
    }
    let goals = 1 + rng.below(3);
    // The last update of any service: the closure comes no earlier.
    let mut latest = opened;
    if stage >= 3 {
        let plan = step(rng);
        let _ = write!(t, "plan:\n  date: {plan}\n  goals:\n");
        for g in 1..=goals {
            // A goal after the first is now and then reached or given up, with its update.
            let (status, update) = if g > 1 && rng.below(3) == 0 {
                let to = rng.pick(&["achieved", "partly-achieved", "dropped"]);
                let when = plan + Days::new(1 + rng.below(10) as u64);
                latest = latest.max(when);
                let note = rng.pick(UPDATE_NOTES);
                (
                    to,
                    format!(
                        "      updates:\n        - {{date: {when}, status: {to}, by: {cw}, note: \"{note}\"}}\n"
                    ),
                )
            } else {
                ("active", String::new())
            };
            let _ = write!(
                t,
                "    - id: G{g}\n      domain: {}\n      text: \"{}\"\n      weight: {}\n      status: {status}\n{update}",
                domains[rng.below(domains.len())],
                rng.pick(GOALS),
                1 + rng.below(2)
            );
        }
        t.push_str("services:\n");
        for s in 1..=1 + rng.below(3) {
            let referred = step(rng);
            let (status, walk) = WALKS[rng.below(WALKS.len())];
            let _ = write!(
                t,
                "  - id: S{s}\n    goal: G{}\n    type: {}\n    provider: \"{}\"\n    referred: {referred}\n    status: {status}\n",
                1 + rng.below(goals),
                rng.pick(SERVICES),
                rng.pick(PROVIDERS),
            );
            let cost = rng.below(50) * 1_000_000;
            // The updates keep a clock of their own, a few days apart from the referral; the
            // last one of a final service is its end.
            let mut when = referred;
            let mut updates = String::new();
            for to in walk {
                when = when + Days::new(1 + rng.below(4) as u64);
                let _ = write!(updates, "      - {{date: {when}, status: {to}, by: {cw}");
                if *to == "declined" {
                    let _ = write!(updates, ", reason: {}", rng.pick(DECLINES));
                }
                if rng.below(3) == 0 {
                    let _ = write!(updates, ", note: \"{}\"", rng.pick(UPDATE_NOTES));
                }
                updates.push_str("}\n");
            }
            if matches!(status, "completed" | "declined" | "cancelled") {
                let _ = writeln!(t, "    ended: {when}");
            }
            if status != "declined" {
                let _ = writeln!(t, "    cost: {cost}");
            }
            if !updates.is_empty() {
                t.push_str("    updates:\n");
                t.push_str(&updates);
            }
            latest = latest.max(when);
        }
        let implemented = step(rng);
        history.push(format!(
            "  - {{date: {implemented}, phase: implementation, by: {cw}}}"
        ));
    }
    if stage >= 4 {
        let monitored = step(rng);
        history.push(format!(
            "  - {{date: {monitored}, phase: monitoring, by: {cw}}}"
        ));
        // One case in four has its risk changed between the monitoring's start and the first
        // review, which decides the case's risk again.
        if rng.below(4) == 0 {
            let _ = write!(
                t,
                "risk_changes:\n  - {{date: {monitored}, risk: {}, by: {cw}, note: \"{}\"}}\n",
                rng.pick(RISKS),
                rng.pick(NOTES)
            );
        }
        t.push_str("reviews:\n");
        for _ in 0..2 + rng.below(8) {
            let date = step(rng);
            let _ = write!(
                t,
                "  - date: {date}\n    by: {cw}\n    domains: {{{}: {}}}\n    goals: {{G1: {}}}\n    risk: {}\n    note: \"{}\"\n",
                domains[rng.below(domains.len())],
                2 + rng.below(4),
                rng.below(5) as i32 - 2,
                risk,
                rng.pick(NOTES)
            );
        }
    }
    // The last day of the case so far: its closure, its reopening, or its latest event.
    let mut ended = None;
    if stage >= 5 {
        let closed = step(rng).max(latest);
        let closure = format!(
            "closure:\n  date: {closed}\n  reason: {}\n  domains: {{{}: 4}}\n",
            rng.pick(REASONS),
            domains[0]
        );
        history.push(format!(
            "  - {{date: {closed}, phase: closed, by: {cw}, approved_by: {sup}}}"
        ));
        ended = Some(closed);
        let again = closed + Days::new(1 + extra.below(20) as u64);
        if reopened && again <= last {
            // The closure is the first episode's; the case is at intake again.
            t.push_str("episodes:\n  - opened: ");
            let _ = writeln!(t, "{opened}");
            for line in closure.lines() {
                let _ = writeln!(t, "    {line}");
            }
            history.push(format!(
                "  - {{date: {again}, phase: intake, by: {cw}, risk: {risk}, reason: \"{}\"}}",
                extra.pick(NOTES)
            ));
            ended = Some(again);
        } else {
            t.push_str(&closure);
            if reopened {
                t = t.replacen("\nphase: intake\n", "\nphase: closed\n", 1);
            }
        }
    }
    let end = ended.unwrap_or(day.max(latest));
    // Contacts with the client from the opening on, the days in order.
    if stage >= 1 {
        let span = (end - opened).num_days().max(0) as usize;
        let mut days: Vec<NaiveDate> = (0..1 + extra.below(4))
            .map(|_| opened + Days::new(extra.below(span + 1) as u64))
            .collect();
        days.sort();
        t.push_str("contacts:\n");
        for date in days {
            let _ = write!(
                t,
                "  - date: {date}\n    type: {}\n    by: {cw}\n    note: \"{}\"\n",
                extra.pick(CONTACTS),
                extra.pick(NOTES)
            );
        }
    }
    if let Some(to) = &passed_to {
        let span = (end - opened).num_days().max(0) as usize;
        let date = opened + Days::new(extra.below(span + 1) as u64);
        let _ = write!(
            t,
            "transfers:\n  - {{date: {date}, from: {cw}, to: {to}, by: {sup}, reason: \"{}\"}}\n",
            extra.pick(NOTES)
        );
    }
    t.push_str("history:\n");
    for h in history {
        t.push_str(&h);
        t.push('\n');
    }
    t
}
