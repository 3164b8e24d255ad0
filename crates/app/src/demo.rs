//! Demo data: a store hierarchy, customer groups, custom properties and as
//! many realistic Russian retail customers as asked for. Pure and
//! deterministic: customer `n` depends on `n` and the stored world alone, so a
//! demo can be generated in parallel, resumed or repeated.

use std::collections::BTreeMap;

use clientele_domain::{
    Consent, ConsentKind, Consents, CustomerGroupId, CustomerStatus, Document, Email, Gender,
    NewCustomer, Phone, PropertyDefinition, PropertyInput, PropertyName, RegistrationChannel,
    StoreId, StoreKind,
};
use clientele_store::NewCustomerRecord;
use jiff::civil::Date;
use jiff::tz::Offset;
use jiff::{SignedDuration, Timestamp};

/// One node of the demo store hierarchy, parents listed before children.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoStore {
    pub code: &'static str,
    pub name: String,
    pub kind: StoreKind,
    pub parent_code: Option<&'static str>,
    pub address: Option<String>,
    /// A region's; the places below take it.
    pub time_zone: Option<&'static str>,
}

/// What the generated customers refer to, as stored.
#[derive(Debug, Clone)]
pub struct DemoWorld {
    /// In the order of [`demo_groups`]; must not be empty.
    pub groups: Vec<CustomerGroupId>,
    /// The stores (kind `store` only) customers register in.
    pub stores: Vec<DemoStoreRef>,
    pub properties: Vec<PropertyDefinition>,
    /// Customers are registered during the three years before this.
    pub now: Timestamp,
}

/// A stored store with the place it is in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoStoreRef {
    pub id: StoreId,
    pub region: String,
    pub city: String,
}

struct Region {
    code: &'static str,
    name: &'static str,
    /// The first two digits of passports issued there (its OKATO code).
    passport_code: &'static str,
    /// Where its customers' days are counted.
    time_zone: &'static str,
    /// Towns around its cities where some of their customers live.
    towns: &'static [&'static str],
}

const REGIONS: [Region; 4] = [
    Region {
        code: "MSK",
        name: "Москва и Московская область",
        passport_code: "45",
        time_zone: "Europe/Moscow",
        towns: &[
            "Химки",
            "Мытищи",
            "Балашиха",
            "Подольск",
            "Люберцы",
            "Красногорск",
        ],
    },
    Region {
        code: "SPB",
        name: "Санкт-Петербург",
        passport_code: "40",
        time_zone: "Europe/Moscow",
        towns: &["Колпино", "Пушкин", "Петергоф", "Сестрорецк"],
    },
    Region {
        code: "TAT",
        name: "Республика Татарстан",
        passport_code: "92",
        time_zone: "Europe/Moscow",
        towns: &["Зеленодольск", "Нижнекамск", "Альметьевск", "Елабуга"],
    },
    Region {
        code: "SVE",
        name: "Свердловская область",
        passport_code: "65",
        time_zone: "Asia/Yekaterinburg",
        towns: &[
            "Верхняя Пышма",
            "Берёзовский",
            "Первоуральск",
            "Нижний Тагил",
        ],
    },
];

/// Everything below the regions: code, name, kind, parent code, address.
const PLACES: [(&str, &str, StoreKind, &str, Option<&str>); 23] = [
    ("MSK-MOW", "Москва", StoreKind::City, "MSK", None),
    (
        "MSK-CAO",
        "Центральный округ",
        StoreKind::District,
        "MSK-MOW",
        None,
    ),
    (
        "MSK-01",
        "Тверская",
        StoreKind::Store,
        "MSK-CAO",
        Some("г. Москва, ул. Тверская, д. 12"),
    ),
    (
        "MSK-02",
        "Китай-город",
        StoreKind::Store,
        "MSK-CAO",
        Some("г. Москва, ул. Маросейка, д. 6"),
    ),
    (
        "MSK-SAO",
        "Северный округ",
        StoreKind::District,
        "MSK-MOW",
        None,
    ),
    (
        "MSK-03",
        "Войковская",
        StoreKind::Store,
        "MSK-SAO",
        Some("г. Москва, Ленинградское ш., д. 16"),
    ),
    ("MSK-KHM", "Химки", StoreKind::City, "MSK", None),
    (
        "MSK-04",
        "Химки, Ленинградская",
        StoreKind::Store,
        "MSK-KHM",
        Some("г. Химки, ул. Ленинградская, д. 25"),
    ),
    ("SPB-SPB", "Санкт-Петербург", StoreKind::City, "SPB", None),
    (
        "SPB-CEN",
        "Центральный район",
        StoreKind::District,
        "SPB-SPB",
        None,
    ),
    (
        "SPB-01",
        "Невский",
        StoreKind::Store,
        "SPB-CEN",
        Some("г. Санкт-Петербург, Невский пр-т, д. 88"),
    ),
    (
        "SPB-02",
        "Лиговский",
        StoreKind::Store,
        "SPB-CEN",
        Some("г. Санкт-Петербург, Лиговский пр-т, д. 30"),
    ),
    (
        "SPB-PRM",
        "Приморский район",
        StoreKind::District,
        "SPB-SPB",
        None,
    ),
    (
        "SPB-03",
        "Комендантский",
        StoreKind::Store,
        "SPB-PRM",
        Some("г. Санкт-Петербург, Комендантский пр-т, д. 17"),
    ),
    ("TAT-KZN", "Казань", StoreKind::City, "TAT", None),
    (
        "KZN-01",
        "Баумана",
        StoreKind::Store,
        "TAT-KZN",
        Some("г. Казань, ул. Баумана, д. 44"),
    ),
    (
        "KZN-02",
        "Проспект Победы",
        StoreKind::Store,
        "TAT-KZN",
        Some("г. Казань, пр-т Победы, д. 141"),
    ),
    ("TAT-NCH", "Набережные Челны", StoreKind::City, "TAT", None),
    (
        "NCH-01",
        "Московский проспект",
        StoreKind::Store,
        "TAT-NCH",
        Some("г. Набережные Челны, Московский пр-т, д. 100"),
    ),
    ("SVE-EKB", "Екатеринбург", StoreKind::City, "SVE", None),
    (
        "EKB-01",
        "Вайнера",
        StoreKind::Store,
        "SVE-EKB",
        Some("г. Екатеринбург, ул. Вайнера, д. 9"),
    ),
    (
        "EKB-02",
        "Уралмаш",
        StoreKind::Store,
        "SVE-EKB",
        Some("г. Екатеринбург, ул. Победы, д. 3"),
    ),
    ("SVE-NTG", "Нижний Тагил", StoreKind::City, "SVE", None),
];

/// The demo store hierarchy: regions, their cities and districts, and twelve
/// stores; parents come before their children.
pub fn demo_stores() -> Vec<DemoStore> {
    let regions = REGIONS.iter().map(|region| DemoStore {
        code: region.code,
        name: region.name.to_owned(),
        kind: StoreKind::Region,
        parent_code: None,
        address: None,
        time_zone: Some(region.time_zone),
    });
    let places = PLACES
        .iter()
        .map(|&(code, name, kind, parent, address)| DemoStore {
            code,
            name: name.to_owned(),
            kind,
            parent_code: Some(parent),
            address: address.map(str::to_owned),
            time_zone: None,
        });
    regions.chain(places).collect()
}

/// Pairs the stores of [`demo_stores`] with their stored ids and places;
/// stores `id_of` does not know are left out.
pub fn demo_store_refs(mut id_of: impl FnMut(&str) -> Option<StoreId>) -> Vec<DemoStoreRef> {
    let nodes = demo_stores();
    let parent = |node: &DemoStore| {
        let code = node.parent_code?;
        nodes.iter().find(|candidate| candidate.code == code)
    };
    let mut refs = Vec::new();
    for store in nodes.iter().filter(|node| node.kind == StoreKind::Store) {
        let mut city = None;
        let mut region = None;
        let mut node = parent(store);
        while let Some(current) = node {
            match current.kind {
                StoreKind::City => city = Some(current.name.clone()),
                StoreKind::Region => region = Some(current.name.clone()),
                StoreKind::District | StoreKind::Store => {}
            }
            node = parent(current);
        }
        if let (Some(id), Some(region), Some(city)) = (id_of(store.code), region, city) {
            refs.push(DemoStoreRef { id, region, city });
        }
    }
    refs
}

/// Customer groups; most customers are in the first.
pub fn demo_groups() -> Vec<&'static str> {
    vec![
        "Розничные покупатели",
        "Оптовые покупатели",
        "Сотрудники",
        "VIP",
    ]
}

/// Custom properties a shop typically adds: choices, a flag and a number.
pub fn demo_properties() -> Vec<PropertyInput> {
    let property = |name: &str, label: &str, kind: &str, choices: &[&str]| PropertyInput {
        name: name.to_owned(),
        label: label.to_owned(),
        kind: kind.to_owned(),
        choices: choices.iter().map(|&choice| choice.to_owned()).collect(),
    };
    vec![
        property(
            "pet",
            "Домашний питомец",
            "choice",
            &["Кошка", "Собака", "Кошка и собака", "Другое", "Нет"],
        ),
        property("children", "Есть дети", "bool", &[]),
        property("shoe_size", "Размер обуви", "number", &[]),
        property(
            "skin_type",
            "Тип кожи",
            "choice",
            &[
                "Нормальная",
                "Сухая",
                "Жирная",
                "Комбинированная",
                "Чувствительная",
            ],
        ),
    ]
}

/// Masculine forms; the feminine ones follow the usual endings, and the
/// rest (Ким, Шевченко) do not change.
const SURNAMES: [&str; 72] = [
    "Иванов",
    "Смирнов",
    "Кузнецов",
    "Попов",
    "Васильев",
    "Петров",
    "Соколов",
    "Михайлов",
    "Новиков",
    "Фёдоров",
    "Морозов",
    "Волков",
    "Алексеев",
    "Лебедев",
    "Семёнов",
    "Егоров",
    "Павлов",
    "Козлов",
    "Степанов",
    "Николаев",
    "Орлов",
    "Андреев",
    "Макаров",
    "Никитин",
    "Захаров",
    "Зайцев",
    "Соловьёв",
    "Борисов",
    "Яковлев",
    "Григорьев",
    "Романов",
    "Воробьёв",
    "Сергеев",
    "Кузьмин",
    "Фролов",
    "Александров",
    "Дмитриев",
    "Королёв",
    "Гусев",
    "Киселёв",
    "Ильин",
    "Максимов",
    "Поляков",
    "Сорокин",
    "Виноградов",
    "Ковалёв",
    "Белов",
    "Медведев",
    "Антонов",
    "Тарасов",
    "Жуков",
    "Баранов",
    "Филиппов",
    "Комаров",
    "Давыдов",
    "Беляев",
    "Богданов",
    "Осипов",
    "Сидоров",
    "Крылов",
    "Островский",
    "Высоцкий",
    "Хабибуллин",
    "Галиев",
    "Сафин",
    "Закиров",
    "Ким",
    "Шевченко",
    "Бондаренко",
    "Ткаченко",
    "Кравченко",
    "Цой",
];

const MALE_NAMES: [&str; 32] = [
    "Александр",
    "Сергей",
    "Дмитрий",
    "Андрей",
    "Алексей",
    "Максим",
    "Евгений",
    "Иван",
    "Михаил",
    "Артём",
    "Николай",
    "Владимир",
    "Павел",
    "Роман",
    "Денис",
    "Игорь",
    "Олег",
    "Константин",
    "Кирилл",
    "Никита",
    "Виктор",
    "Юрий",
    "Антон",
    "Илья",
    "Егор",
    "Василий",
    "Тимур",
    "Руслан",
    "Рустам",
    "Ринат",
    "Григорий",
    "Фёдор",
];

const FEMALE_NAMES: [&str; 34] = [
    "Анна",
    "Елена",
    "Ольга",
    "Наталья",
    "Татьяна",
    "Ирина",
    "Екатерина",
    "Мария",
    "Светлана",
    "Юлия",
    "Анастасия",
    "Марина",
    "Дарья",
    "Ксения",
    "Виктория",
    "Людмила",
    "Галина",
    "Алина",
    "Полина",
    "Валентина",
    "Вера",
    "Надежда",
    "Любовь",
    "Софья",
    "Елизавета",
    "Кристина",
    "Алёна",
    "Евгения",
    "Оксана",
    "Лариса",
    "Гульнара",
    "Алсу",
    "Лейсан",
    "Диана",
];

/// Masculine and feminine patronymic from one father's name.
const PATRONYMICS: [(&str, &str); 24] = [
    ("Александрович", "Александровна"),
    ("Сергеевич", "Сергеевна"),
    ("Дмитриевич", "Дмитриевна"),
    ("Андреевич", "Андреевна"),
    ("Алексеевич", "Алексеевна"),
    ("Евгеньевич", "Евгеньевна"),
    ("Иванович", "Ивановна"),
    ("Михайлович", "Михайловна"),
    ("Николаевич", "Николаевна"),
    ("Владимирович", "Владимировна"),
    ("Павлович", "Павловна"),
    ("Викторович", "Викторовна"),
    ("Юрьевич", "Юрьевна"),
    ("Игоревич", "Игоревна"),
    ("Олегович", "Олеговна"),
    ("Петрович", "Петровна"),
    ("Анатольевич", "Анатольевна"),
    ("Васильевич", "Васильевна"),
    ("Геннадьевич", "Геннадьевна"),
    ("Валерьевич", "Валерьевна"),
    ("Борисович", "Борисовна"),
    ("Константинович", "Константиновна"),
    ("Романович", "Романовна"),
    ("Григорьевич", "Григорьевна"),
];

const STREETS: [&str; 24] = [
    "ул. Ленина",
    "ул. Гагарина",
    "ул. Мира",
    "ул. Советская",
    "ул. Садовая",
    "ул. Пушкина",
    "ул. Кирова",
    "ул. Молодёжная",
    "ул. Школьная",
    "ул. Лесная",
    "ул. Центральная",
    "ул. Зелёная",
    "ул. Набережная",
    "ул. Октябрьская",
    "ул. Комсомольская",
    "ул. Первомайская",
    "ул. Строителей",
    "ул. Чкалова",
    "ул. Маяковского",
    "ул. Чехова",
    "пр-т Мира",
    "пр-т Победы",
    "пер. Почтовый",
    "б-р Есенина",
];

const EMAIL_DOMAINS: [(&str, u32); 6] = [
    ("mail.ru", 380),
    ("yandex.ru", 260),
    ("gmail.com", 180),
    ("bk.ru", 80),
    ("inbox.ru", 50),
    ("list.ru", 50),
];

const BLOCK_REASONS: [&str; 4] = [
    "Подозрение на мошенничество с баллами",
    "Передача карты третьим лицам",
    "Многократные возвраты товара",
    "По заявлению покупателя: карта утеряна",
];

const NOTES: [&str; 5] = [
    "Просит не звонить после 20:00",
    "Предпочитает связь по e-mail",
    "Покупает для небольшого кафе",
    "Жалоба на обслуживание, вопрос решён",
    "Просит сообщать о поступлении новой коллекции",
];

/// The second digit of the mobile code: 90x, 91x, … are all in use.
const MOBILE_CODES: [char; 7] = ['0', '1', '2', '3', '5', '6', '8'];

/// One customer of the demo: the same `index` and world always give the same
/// customer; phones differ for every index below 10^8, e-mails for every
/// index below 10^18.
pub fn demo_customer(index: u64, world: &DemoWorld) -> NewCustomerRecord {
    let mut rng = Mix(mix(index));
    let female = rng.chance(600);
    let status = rng.weighted(&[
        (CustomerStatus::Active, 950),
        (CustomerStatus::Incomplete, 40),
        (CustomerStatus::Archived, 10),
    ]);
    // "Контроль" marks a registration made in a hurry: only a name and a phone.
    let incomplete = status == CustomerStatus::Incomplete;
    let channel = rng.weighted(&[
        (RegistrationChannel::Pos, 600),
        (RegistrationChannel::Console, 150),
        (RegistrationChannel::Web, 120),
        (RegistrationChannel::App, 90),
        (RegistrationChannel::Import, 40),
    ]);
    let created_at = registered_at(&mut rng, world.now, channel);

    let today = Offset::UTC.to_datetime(world.now).date();
    let birth = if !incomplete && rng.chance(885) {
        birth_date(&mut rng, today)
    } else {
        None
    };
    let gender = if birth.is_some() || rng.chance(600) {
        Some(if female { Gender::Female } else { Gender::Male })
    } else {
        None
    };

    let (name, surname, first_name) = full_name(&mut rng, female);
    let email = (!incomplete && rng.chance(730)).then(|| {
        email(
            &mut rng,
            &name[..surname],
            &name[surname + 1..first_name],
            index,
        )
    });

    let in_store = match channel {
        RegistrationChannel::Pos => true,
        RegistrationChannel::Console => rng.chance(600),
        _ => false,
    };
    // Earlier stores of the list (the capital's) are the busier ones.
    let home = world.stores.get(rng.skewed(world.stores.len()));
    let store_id = home.filter(|_| in_store).map(|store| store.id);
    let (region, city) = match home.filter(|_| in_store || rng.chance(850)) {
        Some(store) => (Some(store.region.clone()), Some(city_of(&mut rng, store))),
        None => (None, None),
    };
    let address = (city.is_some() && rng.chance(420)).then(|| address(&mut rng));

    let group = rng.weighted(&[(0, 850), (1, 50), (2, 30), (3, 70)]);
    let group_id = *world.groups.get(group).unwrap_or(&world.groups[0]);
    let blocked = rng.chance(10);
    let blocked_reason = blocked.then(|| rng.pick(&BLOCK_REASONS).to_owned());
    let notes = rng.chance(20).then(|| rng.pick(&NOTES).to_owned());
    let documents = if rng.chance(100) {
        vec![passport(&mut rng, birth, region.as_deref())]
    } else {
        Vec::new()
    };
    let external_id = (channel == RegistrationChannel::Import).then(|| {
        let mut id = String::from("1C-");
        push_number(&mut id, index + 1, 6);
        id
    });
    let consents = consents(&mut rng, channel, created_at, email.is_some());
    let properties = properties(&mut rng, world, female, birth.map(|(_, age)| age));

    NewCustomerRecord {
        profile: NewCustomer {
            name,
            phone: Some(phone(&mut rng, index)),
            email,
            gender,
            birth_date: birth.map(|(date, _)| date),
            address,
            region,
            city,
            documents,
            group_id,
            status,
            blocked,
            blocked_reason,
            notes,
            referrer_id: None,
            channel,
            store_id,
            external_id,
            consents,
            properties,
        },
        created_at,
    }
}

/// SplitMix64: tiny, fast and good enough for demo data.
pub(crate) struct Mix(pub(crate) u64);

impl Mix {
    pub(crate) fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        mix(self.0)
    }

    /// Uniform in `0..n` (0 when `n` is 0).
    pub(crate) fn below(&mut self, n: usize) -> usize {
        ((u128::from(self.next()) * n as u128) >> 64) as usize
    }

    /// In `0..n`, leaning towards 0: the smaller of two draws.
    pub(crate) fn skewed(&mut self, n: usize) -> usize {
        self.below(n).min(self.below(n))
    }

    pub(crate) fn chance(&mut self, per_mille: usize) -> bool {
        self.below(1000) < per_mille
    }

    pub(crate) fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }

    pub(crate) fn weighted<T: Copy>(&mut self, items: &[(T, u32)]) -> T {
        let total = items.iter().map(|&(_, weight)| weight as usize).sum();
        let mut roll = self.below(total);
        for &(item, weight) in items {
            let weight = weight as usize;
            if roll < weight {
                return item;
            }
            roll -= weight;
        }
        unreachable!("the roll is below the total weight")
    }
}

fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// A permutation of `0..10^8`: a four-round Feistel network on two halves
/// of four decimal digits, so no two indexes below 10^8 share a number.
fn scramble(index: u64) -> u64 {
    const HALF: u64 = 10_000;
    let value = index % (HALF * HALF);
    let (mut left, mut right) = (value / HALF, value % HALF);
    for round in 0..4u64 {
        let next = (left + mix(right ^ (round << 32) ^ 0x5EED) % HALF) % HALF;
        left = right;
        right = next;
    }
    left * HALF + right
}

/// `+7 9X` and the scrambled index as the last eight digits.
fn phone(rng: &mut Mix, index: u64) -> Phone {
    let mut phone = String::with_capacity(12);
    phone.push_str("+79");
    phone.push(rng.pick(&MOBILE_CODES));
    push_number(&mut phone, scramble(index), 8);
    Phone::from_stored(phone)
}

/// "Фамилия Имя Отчество", with where the surname and the first name end.
fn full_name(rng: &mut Mix, female: bool) -> (String, usize, usize) {
    let mut name = String::with_capacity(80);
    let surname = SURNAMES[rng.skewed(SURNAMES.len())];
    let feminine_stem = surname.strip_suffix("ий").filter(|_| female);
    if let Some(stem) = feminine_stem {
        name.push_str(stem);
        name.push_str("ая");
    } else {
        name.push_str(surname);
        let declines = ["ов", "ев", "ёв", "ин"]
            .iter()
            .any(|ending| surname.ends_with(ending));
        if female && declines {
            name.push('а');
        }
    }
    let surname_end = name.len();
    name.push(' ');
    name.push_str(if female {
        rng.pick(&FEMALE_NAMES)
    } else {
        rng.pick(&MALE_NAMES)
    });
    let first_name_end = name.len();
    name.push(' ');
    let (masculine, feminine) = rng.pick(&PATRONYMICS);
    name.push_str(if female { feminine } else { masculine });
    (name, surname_end, first_name_end)
}

/// A transliterated e-mail address such as `anna.ivanova4821@mail.ru`. The digits
/// come from the index alone and the letters hold none, so it is unique.
fn email(rng: &mut Mix, surname: &str, first_name: &str, index: u64) -> Email {
    let mut email = String::with_capacity(48);
    match rng.below(4) {
        0 => {
            push_latin(&mut email, first_name);
            email.push('.');
            push_latin(&mut email, surname);
        }
        1 => {
            push_latin(&mut email, surname);
            email.push('.');
            push_latin(&mut email, first_name);
        }
        2 => {
            let initial = first_name.chars().next().map_or("", latin);
            email.push_str(&initial[..initial.len().min(1)]);
            push_latin(&mut email, surname);
        }
        _ => {
            push_latin(&mut email, surname);
            email.push('_');
        }
    }
    push_number(&mut email, email_number(index), 1);
    email.push('@');
    email.push_str(rng.weighted(&EMAIL_DOMAINS));
    Email::from_stored(email)
}

/// A permutation of the numbers with as many digits as `index + 1`, so
/// small demos get short numbers that still look random.
fn email_number(index: u64) -> u64 {
    let number = u128::from(index) + 1;
    let mut low = 1u128;
    while low * 10 <= number {
        low *= 10;
    }
    let size = 9 * low;
    // 7777 shares no factor with 2, 3 or 5, so it permutes 0..size.
    let scrambled = low + (7777 * (number - low) + 4242) % size;
    // Past 10^18 the permuted number may not fit; such demos do not exist.
    u64::try_from(scrambled).unwrap_or(index)
}

fn push_latin(out: &mut String, cyrillic: &str) {
    for c in cyrillic.chars() {
        out.push_str(latin(c));
    }
}

fn latin(c: char) -> &'static str {
    match c {
        'а' | 'А' => "a",
        'б' | 'Б' => "b",
        'в' | 'В' => "v",
        'г' | 'Г' => "g",
        'д' | 'Д' => "d",
        'е' | 'Е' | 'ё' | 'Ё' | 'э' | 'Э' => "e",
        'ж' | 'Ж' => "zh",
        'з' | 'З' => "z",
        'и' | 'И' => "i",
        'й' | 'Й' | 'ы' | 'Ы' => "y",
        'к' | 'К' => "k",
        'л' | 'Л' => "l",
        'м' | 'М' => "m",
        'н' | 'Н' => "n",
        'о' | 'О' => "o",
        'п' | 'П' => "p",
        'р' | 'Р' => "r",
        'с' | 'С' => "s",
        'т' | 'Т' => "t",
        'у' | 'У' => "u",
        'ф' | 'Ф' => "f",
        'х' | 'Х' => "kh",
        'ц' | 'Ц' => "ts",
        'ч' | 'Ч' => "ch",
        'ш' | 'Ш' => "sh",
        'щ' | 'Щ' => "shch",
        'ю' | 'Ю' => "yu",
        'я' | 'Я' => "ya",
        _ => "",
    }
}

/// Appends `value` in decimal, zero-padded to at least `width` digits.
fn push_number(out: &mut String, mut value: u64, width: usize) {
    let mut digits = [b'0'; 20];
    let mut start = digits.len();
    while value > 0 || digits.len() - start < width.max(1) {
        start -= 1;
        digits[start] = b'0' + (value % 10) as u8;
        value /= 10;
    }
    out.extend(digits[start..].iter().map(|&digit| char::from(digit)));
}

/// Within the last three years, more recent days more likely; at the till
/// and the desk during opening hours (9:00–22:00 Moscow time).
fn registered_at(rng: &mut Mix, now: Timestamp, channel: RegistrationChannel) -> Timestamp {
    const DAY: i64 = 86_400;
    let days_back = rng.skewed(3 * 365 - 5) as i64;
    let time_of_day = match channel {
        RegistrationChannel::Web | RegistrationChannel::App => rng.below(DAY as usize) as i64,
        _ => 6 * 3600 + rng.below(13 * 3600) as i64,
    };
    let mut back = days_back * DAY + now.as_second().rem_euclid(DAY) - time_of_day;
    if back < 0 {
        back += DAY;
    }
    now - SignedDuration::new(back, now.subsec_nanosecond())
}

/// A birth date for an age of 18 to 80, mostly 25 to 55, with that age.
fn birth_date(rng: &mut Mix, today: Date) -> Option<(Date, i16)> {
    const MONTH_DAYS: [i8; 12] = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    let age = if rng.chance(700) {
        25 + rng.below(31)
    } else {
        18 + rng.below(63)
    } as i16;
    let month = 1 + rng.below(12) as i8;
    let day = 1 + rng.below(MONTH_DAYS[month as usize - 1] as usize) as i8;
    let birthday_to_come = (month, day) > (today.month(), today.day());
    let year = today.year() - age - i16::from(birthday_to_come);
    Date::new(year, month, day).ok().map(|date| (date, age))
}

/// Mostly the store's own city, sometimes a town around it.
fn city_of(rng: &mut Mix, store: &DemoStoreRef) -> String {
    let towns = REGIONS
        .iter()
        .find(|region| region.name == store.region)
        .map_or(&[][..], |region| region.towns);
    if !towns.is_empty() && rng.chance(150) {
        rng.pick(towns).to_owned()
    } else {
        store.city.clone()
    }
}

/// `ул. Ленина, д. 12, кв. 34`; some live in houses without flats.
fn address(rng: &mut Mix) -> String {
    let mut address = String::with_capacity(64);
    address.push_str(rng.pick(&STREETS));
    address.push_str(", д. ");
    push_number(&mut address, 1 + rng.skewed(150) as u64, 1);
    if rng.chance(100) {
        address.push_str(", к. ");
        push_number(&mut address, 1 + rng.below(4) as u64, 1);
    }
    if rng.chance(850) {
        address.push_str(", кв. ");
        push_number(&mut address, 1 + rng.below(300) as u64, 1);
    }
    address
}

/// A passport whose series reads like a real one: the region's code, then
/// the year it was issued (at 20 or at 45).
fn passport(rng: &mut Mix, birth: Option<(Date, i16)>, region: Option<&str>) -> Document {
    let region_code = REGIONS
        .iter()
        .find(|known| Some(known.name) == region)
        .map_or("45", |known| known.passport_code);
    let issued = match birth {
        Some((date, age)) if age >= 45 => date.year() + 45,
        Some((date, _)) => date.year() + 20,
        None => 2000 + rng.below(25) as i16,
    };
    let mut number = String::with_capacity(11);
    number.push_str(region_code);
    push_number(&mut number, (issued % 100) as u64, 2);
    number.push(' ');
    push_number(&mut number, rng.below(1_000_000) as u64, 6);
    Document {
        kind: "Паспорт РФ".to_owned(),
        number,
        issued_by: None,
        issued_on: None,
    }
}

/// Only granted consents, all given at registration through its channel.
fn consents(
    rng: &mut Mix,
    channel: RegistrationChannel,
    at: Timestamp,
    has_email: bool,
) -> Consents {
    let mut consents = BTreeMap::new();
    let mut grant = |kind| {
        let consent = Consent {
            granted: true,
            granted_at: Some(at),
            withdrawn_at: None,
            source: Some(channel.as_str().to_owned()),
        };
        consents.insert(kind, consent);
    };
    if rng.chance(900) {
        grant(ConsentKind::General);
        let push = if channel == RegistrationChannel::App {
            800
        } else {
            100
        };
        let messages = [
            (ConsentKind::Sms, 780),
            (ConsentKind::Email, if has_email { 850 } else { 0 }),
            (ConsentKind::Viber, 250),
            (ConsentKind::Push, push),
            (ConsentKind::Messenger, 200),
        ];
        for (kind, per_mille) in messages {
            if rng.chance(per_mille) {
                grant(kind);
            }
        }
    }
    if rng.chance(150) {
        grant(ConsentKind::PaperReceiptRefusal);
    }
    Consents(consents)
}

/// Values for the demo's own properties; other properties stay empty.
fn properties(
    rng: &mut Mix,
    world: &DemoWorld,
    female: bool,
    age: Option<i16>,
) -> BTreeMap<PropertyName, String> {
    let mut values = BTreeMap::new();
    for definition in &world.properties {
        let value = match definition.name.as_str() {
            "pet" if rng.chance(350) => choice(rng, definition),
            "skin_type" if rng.chance(if female { 250 } else { 50 }) => choice(rng, definition),
            "children" if rng.chance(400) => {
                let likely = age.is_some_and(|age| (28..=50).contains(&age));
                let has = rng.chance(if likely { 650 } else { 300 });
                Some(if has { "true" } else { "false" }.to_owned())
            }
            "shoe_size" if rng.chance(250) => {
                let size = if female {
                    35 + rng.below(4) + rng.below(4)
                } else {
                    39 + rng.below(4) + rng.below(5)
                };
                let mut text = String::with_capacity(2);
                push_number(&mut text, size as u64, 1);
                Some(text)
            }
            _ => None,
        };
        if let Some(value) = value {
            values.insert(definition.name.clone(), value);
        }
    }
    values
}

fn choice(rng: &mut Mix, definition: &PropertyDefinition) -> Option<String> {
    let choices = &definition.choices;
    choices.get(rng.below(choices.len())).cloned()
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use clientele_domain::property::NewProperty;
    use clientele_domain::{PropertyId, StoreInput};
    use jiff::Unit;

    use super::*;

    fn world() -> DemoWorld {
        let now = Timestamp::from_second(1_780_000_000).unwrap();
        let codes: Vec<&str> = demo_stores().iter().map(|store| store.code).collect();
        let stores = demo_store_refs(|code| {
            let position = codes.iter().position(|known| *known == code)?;
            Some(StoreId(position as i64 + 1))
        });
        let properties = demo_properties()
            .into_iter()
            .enumerate()
            .map(|(position, input)| {
                let NewProperty {
                    name,
                    label,
                    kind,
                    choices,
                } = input.validate().unwrap();
                PropertyDefinition {
                    id: PropertyId(position as i64 + 1),
                    name,
                    label,
                    kind,
                    choices,
                    created_at: now,
                }
            })
            .collect();
        DemoWorld {
            groups: (1..=demo_groups().len() as i64)
                .map(CustomerGroupId)
                .collect(),
            stores,
            properties,
            now,
        }
    }

    fn customers(world: &DemoWorld, count: u64) -> Vec<NewCustomerRecord> {
        (0..count)
            .map(|index| demo_customer(index, world))
            .collect()
    }

    #[test]
    fn the_hierarchy_is_valid_and_parents_come_first() {
        let stores = demo_stores();
        let mut seen = HashSet::new();
        for store in &stores {
            if let Some(parent) = store.parent_code {
                assert!(seen.contains(parent), "{} before {parent}", store.code);
            }
            assert!(seen.insert(store.code), "{} twice", store.code);
            StoreInput {
                code: store.code.to_owned(),
                name: store.name.clone(),
                kind: Some(store.kind.as_str().to_owned()),
                parent_id: store.parent_code.map(|_| StoreId(1)),
                address: store.address.clone(),
                time_zone: store.time_zone.map(str::to_owned),
            }
            .validate()
            .unwrap();
        }
        let shops = stores
            .iter()
            .filter(|store| store.kind == StoreKind::Store)
            .count();
        assert_eq!(shops, 12);
        let refs = world().stores;
        assert_eq!(refs.len(), 12);
        assert_eq!(refs[0].city, "Москва");
        assert_eq!(refs[0].region, "Москва и Московская область");
        assert!(refs.iter().any(|store| store.city == "Набережные Челны"));
    }

    #[test]
    fn groups_and_properties_are_valid() {
        assert_eq!(demo_groups()[0], "Розничные покупатели");
        assert_eq!(world().properties.len(), 4);
    }

    #[test]
    fn the_same_index_gives_the_same_customer() {
        let world = world();
        for index in [0, 1, 2, 77, 12_345, 99_999_999, u64::MAX] {
            let first = demo_customer(index, &world);
            let second = demo_customer(index, &world);
            assert_eq!(first.profile, second.profile);
            assert_eq!(first.created_at, second.created_at);
        }
        assert_ne!(
            demo_customer(1, &world).profile,
            demo_customer(2, &world).profile
        );
    }

    #[test]
    fn phones_are_unique_and_valid() {
        let world = world();
        let spread = (0..100_000u64).map(|step| 100_000 + step * 999);
        let mut seen = HashSet::new();
        for index in (0..100_000u64).chain(spread) {
            let phone = demo_customer(index, &world).profile.phone.unwrap();
            if index % 200 == 0 {
                assert_eq!(Phone::parse(phone.as_str()).unwrap(), phone);
            }
            assert!(seen.insert(phone), "index {index}");
        }
        assert_eq!(seen.len(), 200_000);
    }

    #[test]
    fn the_phone_permutation_is_a_bijection_at_the_edges() {
        let top = 100_000_000;
        let values: HashSet<u64> = (top - 50_000..top).map(scramble).collect();
        assert_eq!(values.len(), 50_000);
        assert!(values.iter().all(|&value| value < top));
    }

    #[test]
    fn e_mails_are_unique_and_valid() {
        let world = world();
        let mut seen = HashSet::new();
        let mut checked = 0;
        for index in 0..200_000 {
            let Some(email) = demo_customer(index, &world).profile.email else {
                continue;
            };
            if checked < 1000 && index % 7 == 0 {
                assert_eq!(Email::parse(email.as_str()).unwrap(), email);
                checked += 1;
            }
            assert!(seen.insert(email), "index {index}");
        }
        assert_eq!(checked, 1000);
        let numbers: HashSet<u64> = (0..1_000_000).map(email_number).collect();
        assert_eq!(numbers.len(), 1_000_000);
    }

    #[test]
    fn property_values_are_canonical() {
        let world = world();
        let mut filled = 0;
        for customer in customers(&world, 10_000) {
            for (name, value) in &customer.profile.properties {
                let definition = world
                    .properties
                    .iter()
                    .find(|definition| &definition.name == name)
                    .unwrap();
                assert_eq!(&definition.parse_value(value).unwrap(), value);
                filled += 1;
            }
        }
        assert!(filled > 5_000, "{filled}");
    }

    #[test]
    fn proportions_look_like_a_real_base() {
        let world = world();
        let all = customers(&world, 10_000);
        let share = |test: &dyn Fn(&NewCustomerRecord) -> bool| {
            all.iter().filter(|customer| test(customer)).count() as f64 / all.len() as f64
        };
        let within = |name: &str, value: f64, low: f64, high: f64| {
            assert!((low..=high).contains(&value), "{name}: {value}");
        };
        within(
            "women among known",
            share(&|c| c.profile.gender == Some(Gender::Female))
                / share(&|c| c.profile.gender.is_some()),
            0.55,
            0.65,
        );
        within("e-mail", share(&|c| c.profile.email.is_some()), 0.62, 0.78);
        within(
            "birth date",
            share(&|c| c.profile.birth_date.is_some()),
            0.8,
            0.9,
        );
        within("gender", share(&|c| c.profile.gender.is_some()), 0.88, 0.98);
        within(
            "incomplete",
            share(&|c| c.profile.status == CustomerStatus::Incomplete),
            0.025,
            0.055,
        );
        within(
            "archived",
            share(&|c| c.profile.status == CustomerStatus::Archived),
            0.004,
            0.02,
        );
        within(
            "blocked",
            share(&|c| c.profile.blocked && c.profile.blocked_reason.is_some()),
            0.004,
            0.02,
        );
        within(
            "first group",
            share(&|c| c.profile.group_id == world.groups[0]),
            0.8,
            0.9,
        );
        within(
            "pos",
            share(&|c| c.profile.channel == RegistrationChannel::Pos),
            0.55,
            0.65,
        );
        within(
            "general consent",
            share(&|c| c.profile.consents.is_granted(ConsentKind::General)),
            0.87,
            0.93,
        );
        within(
            "sms consent",
            share(&|c| c.profile.consents.is_granted(ConsentKind::Sms)),
            0.65,
            0.75,
        );
        within(
            "paper receipt refusal",
            share(&|c| {
                c.profile
                    .consents
                    .is_granted(ConsentKind::PaperReceiptRefusal)
            }),
            0.12,
            0.18,
        );
        within(
            "e-mail consent among e-mails",
            share(&|c| c.profile.consents.is_granted(ConsentKind::Email))
                / share(&|c| c.profile.email.is_some()),
            0.7,
            0.85,
        );
        within(
            "address",
            share(&|c| c.profile.address.is_some()),
            0.35,
            0.45,
        );
        within(
            "passport",
            share(&|c| c.profile.documents.len() == 1),
            0.08,
            0.12,
        );
        within("notes", share(&|c| c.profile.notes.is_some()), 0.01, 0.04);

        let today = Offset::UTC.to_datetime(world.now).date();
        let ages: Vec<i16> = all
            .iter()
            .filter_map(|c| c.profile.birth_date)
            .map(|birth| today.since((Unit::Year, birth)).unwrap().get_years())
            .collect();
        let total = ages.len() as f64;
        assert!(ages.iter().all(|age| (18..=80).contains(age)));
        let prime = ages.iter().filter(|age| (25..=55).contains(*age)).count() as f64;
        within("aged 25 to 55", prime / total, 0.78, 0.92);

        for customer in &all {
            let consents = &customer.profile.consents;
            for consent in consents.0.values() {
                assert_eq!(consent.granted_at, Some(customer.created_at));
                assert_eq!(
                    consent.source.as_deref(),
                    Some(customer.profile.channel.as_str())
                );
            }
            if customer.profile.birth_date.is_some() {
                assert!(customer.profile.gender.is_some());
            }
        }
    }

    #[test]
    fn names_agree_with_gender() {
        let all = customers(&world(), 2_000);
        assert!(all.iter().any(|c| c.profile.name.starts_with("Иванова ")));
        for customer in all {
            let profile = customer.profile;
            let words: Vec<&str> = profile.name.split(' ').collect();
            assert_eq!(words.len(), 3, "{}", profile.name);
            match profile.gender {
                Some(Gender::Female) => assert!(words[2].ends_with("вна"), "{}", profile.name),
                Some(Gender::Male) => assert!(words[2].ends_with("ич"), "{}", profile.name),
                None => {}
            }
        }
    }

    #[test]
    fn customers_live_where_they_registered() {
        let world = world();
        let all = customers(&world, 10_000);
        let mut same_city = 0;
        let mut in_store = 0;
        for customer in &all {
            let profile = &customer.profile;
            if profile.channel == RegistrationChannel::Pos {
                assert!(profile.store_id.is_some());
            }
            let Some(id) = profile.store_id else { continue };
            in_store += 1;
            let store = world.stores.iter().find(|store| store.id == id).unwrap();
            assert_eq!(profile.region.as_deref(), Some(store.region.as_str()));
            let city = profile.city.as_deref().unwrap();
            let region = REGIONS.iter().find(|r| r.name == store.region).unwrap();
            assert!(city == store.city || region.towns.contains(&city), "{city}");
            if city == store.city {
                same_city += 1;
            }
        }
        assert!(same_city as f64 / in_store as f64 > 0.8);
        let moscow = all
            .iter()
            .filter(|c| c.profile.city.as_deref() == Some("Москва"))
            .count();
        let kazan = all
            .iter()
            .filter(|c| c.profile.city.as_deref() == Some("Казань"))
            .count();
        assert!(moscow > kazan);
    }

    #[test]
    fn registration_times_lie_in_the_last_three_years() {
        let world = world();
        let oldest = world.now - SignedDuration::from_hours(24 * (3 * 365));
        let last_year = world.now - SignedDuration::from_hours(24 * 365);
        let mut recent = 0;
        let mut early = 0;
        for customer in customers(&world, 10_000) {
            let at = customer.created_at;
            assert!(oldest <= at && at <= world.now, "{at}");
            if at >= last_year {
                recent += 1;
            } else if at < oldest + SignedDuration::from_hours(24 * 365) {
                early += 1;
            }
        }
        assert!(recent > 2 * early, "{recent} vs {early}");
    }

    #[test]
    fn incomplete_customers_have_no_e_mail_nor_birth_date() {
        let world = world();
        let incomplete: Vec<_> = customers(&world, 10_000)
            .into_iter()
            .filter(|c| c.profile.status == CustomerStatus::Incomplete)
            .collect();
        assert!(!incomplete.is_empty());
        for customer in incomplete {
            assert!(customer.profile.email.is_none());
            assert!(customer.profile.birth_date.is_none());
        }
    }

    #[test]
    fn generates_a_hundred_thousand() {
        let world = world();
        let named = (0..100_000)
            .map(|index| demo_customer(index, &world))
            .filter(|customer| !customer.profile.name.is_empty())
            .count();
        assert_eq!(named, 100_000);
    }
}
