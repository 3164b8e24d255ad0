//! Which customer field each column of an imported file holds, recognised
//! from the header names that REGOS, 1C, Kontur.Market, UDS, hand-made Excel
//! lists and our own export use.

use clientele_domain::{
    ConsentKind, FieldError, PropertyDefinition, PropertyName, ValidationErrors,
};

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Column {
    FullName,
    LastName,
    FirstName,
    MiddleName,
    Phone,
    Email,
    Gender,
    BirthDate,
    Address,
    Region,
    City,
    Group,
    Status,
    Notes,
    ExternalId,
    StoreCode,
    Channel,
    Blocked,
    Consent(ConsentKind),
    /// A custom property, by its machine name.
    Property(String),
}

/// Every column without a parameter, for reading keys back.
const FIXED: [Column; 18] = [
    Column::FullName,
    Column::LastName,
    Column::FirstName,
    Column::MiddleName,
    Column::Phone,
    Column::Email,
    Column::Gender,
    Column::BirthDate,
    Column::Address,
    Column::Region,
    Column::City,
    Column::Group,
    Column::Status,
    Column::Notes,
    Column::ExternalId,
    Column::StoreCode,
    Column::Channel,
    Column::Blocked,
];

impl Column {
    /// The snake_case name our export writes as the header and `--map` takes.
    pub fn key(&self) -> String {
        let fixed = match self {
            Column::FullName => "name",
            Column::LastName => "last_name",
            Column::FirstName => "first_name",
            Column::MiddleName => "middle_name",
            Column::Phone => "phone",
            Column::Email => "email",
            Column::Gender => "gender",
            Column::BirthDate => "birth_date",
            Column::Address => "address",
            Column::Region => "region",
            Column::City => "city",
            Column::Group => "group",
            Column::Status => "status",
            Column::Notes => "notes",
            Column::ExternalId => "external_id",
            Column::StoreCode => "store_code",
            Column::Channel => "channel",
            Column::Blocked => "blocked",
            Column::Consent(kind) => return format!("consent_{}", kind.as_str()),
            Column::Property(name) => return format!("property_{name}"),
        };
        fixed.to_owned()
    }
}

/// Reads a [`Column::key`] back; `None` for anything else.
pub fn parse_column(name: &str) -> Option<Column> {
    let name = name.trim().to_lowercase();
    if let Some(kind) = name.strip_prefix("consent_") {
        return ConsentKind::parse(kind).ok().map(Column::Consent);
    }
    if let Some(property) = name.strip_prefix("property_") {
        let property = PropertyName::parse(property).ok()?;
        return Some(Column::Property(property.as_str().to_owned()));
    }
    FIXED.into_iter().find(|column| column.key() == name)
}

/// The columns of one file, in header order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ColumnMap {
    pub headers: Vec<String>,
    /// One per header: what it holds, or `None` when unrecognised, blank or
    /// a repeat of an earlier column.
    pub columns: Vec<Option<Column>>,
    /// Non-blank headers that were not recognised or repeat an earlier column.
    pub unknown: Vec<String>,
}

impl ColumnMap {
    pub fn has(&self, column: &Column) -> bool {
        self.index_of(column).is_some()
    }

    pub fn index_of(&self, column: &Column) -> Option<usize> {
        self.columns
            .iter()
            .position(|found| found.as_ref() == Some(column))
    }

    /// Refused unless some column holds the customer's name.
    pub fn require_name(&self) -> Result<(), ValidationErrors> {
        if self.has(&Column::FullName)
            || self.has(&Column::LastName)
            || self.has(&Column::FirstName)
        {
            return Ok(());
        }
        Err(ValidationErrors::one(
            "file",
            "no_name_column",
            "no column holds the customer's name (e.g. «ФИО», «Фамилия», «Name»)",
        ))
    }

    /// Each header with the column it was read as, for a preview.
    pub fn describe(&self) -> Vec<(String, Option<Column>)> {
        self.headers
            .iter()
            .cloned()
            .zip(self.columns.iter().cloned())
            .collect()
    }
}

/// Every column a file may be read as, the marketer's properties last.
pub fn all_columns(properties: &[PropertyDefinition]) -> Vec<Column> {
    FIXED
        .into_iter()
        .chain(ConsentKind::ALL.map(Column::Consent))
        .chain(
            properties
                .iter()
                .map(|p| Column::Property(p.name.as_str().to_owned())),
        )
        .collect()
}

/// How an import reads a file's headers: as recognised, or as a person
/// chose them in the console.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Mapping {
    #[default]
    Recognised,
    /// One column per header, in header order; `None` leaves it unread.
    Chosen(Vec<Option<Column>>),
}

impl Mapping {
    /// The columns of a file with these headers. A choice naming a column
    /// twice, or a property nobody defined, is refused beside its header
    /// (field `column_<index>`).
    pub fn read(
        &self,
        headers: &[String],
        properties: &[PropertyDefinition],
    ) -> Result<ColumnMap, ValidationErrors> {
        let chosen = match self {
            Mapping::Recognised => return Ok(match_headers(headers, properties)),
            Mapping::Chosen(chosen) => chosen,
        };
        if chosen.len() != headers.len() {
            return Err(ValidationErrors::one(
                "columns",
                "columns_mismatch",
                format!(
                    "the file has {} columns, the mapping names {}",
                    headers.len(),
                    chosen.len()
                ),
            ));
        }
        let mut errors = ValidationErrors::default();
        let mut map = ColumnMap {
            headers: headers.to_vec(),
            columns: Vec::with_capacity(headers.len()),
            unknown: Vec::new(),
        };
        for (index, (header, column)) in headers.iter().zip(chosen).enumerate() {
            let field = format!("column_{index}");
            if let Some(Column::Property(name)) = column
                && !properties.iter().any(|p| p.name.as_str() == name)
            {
                errors.push(FieldError::new(
                    field,
                    "unknown_property",
                    format!("there is no property «{name}»"),
                ));
            } else if let Some(column) = column.as_ref().filter(|c| map.has(c)) {
                errors.push(FieldError::new(
                    field,
                    "column_twice",
                    format!("another column is read as {} already", column.key()),
                ));
            }
            if column.is_none() && !header.trim().is_empty() {
                map.unknown.push(header.clone());
            }
            map.columns.push(column.clone());
        }
        errors.finish(|| map)
    }
}

pub fn match_headers(headers: &[String], properties: &[PropertyDefinition]) -> ColumnMap {
    let mut map = ColumnMap {
        headers: headers.to_vec(),
        columns: Vec::with_capacity(headers.len()),
        unknown: Vec::new(),
    };
    for header in headers {
        let column = recognise(header, properties).filter(|column| !map.has(column));
        if column.is_none() && !header.trim().is_empty() {
            map.unknown.push(header.clone());
        }
        map.columns.push(column);
    }
    map
}

pub(super) fn recognise(header: &str, properties: &[PropertyDefinition]) -> Option<Column> {
    let key = strip_required(normalize(header));
    if key.is_empty() {
        return None;
    }
    lookup(&key, properties).or_else(|| {
        // «Телефон (мобильный)», «Дата рождения (ДД.ММ.ГГГГ)»: the note in
        // brackets does not change what the column holds.
        let (before, _) = header.split_once('(')?;
        let key = strip_required(normalize(before));
        (!key.is_empty())
            .then(|| lookup(&key, properties))
            .flatten()
    })
}

/// Built-in names win over a custom property that happens to share one.
fn lookup(key: &str, properties: &[PropertyDefinition]) -> Option<Column> {
    // Our own export's keys first, so a re-import reads every column back.
    let builtin = FIXED
        .into_iter()
        .chain(ConsentKind::ALL.map(Column::Consent))
        .find(|column| normalize(&column.key()) == key)
        .or_else(|| {
            SYNONYMS
                .iter()
                .find(|(name, _)| normalize(name) == key)
                .map(|(_, column)| column.clone())
        });
    builtin.or_else(|| {
        properties
            .iter()
            .find(|property| {
                let name = property.name.as_str();
                normalize(&property.label) == key
                    || normalize(name) == key
                    || normalize(&format!("property_{name}")) == key
            })
            .map(|property| Column::Property(property.name.as_str().to_owned()))
    })
}

/// Lowercase letters and digits only, `ё` read as `е`: «Ф.И.О.», «фио» and
/// «ФИО *» become one key, as do «E-mail» and «email», «birth_date» and
/// «Birth date».
pub(super) fn normalize(header: &str) -> String {
    header
        .chars()
        .flat_map(char::to_lowercase)
        .filter(|c| c.is_alphanumeric())
        .map(|c| if c == 'ё' { 'е' } else { c })
        .collect()
}

/// Drops the «обязательно» some templates append to mandatory columns.
pub(super) fn strip_required(key: String) -> String {
    for suffix in [
        "обязательноеполе",
        "обязательно",
        "обязательное",
        "required",
    ] {
        if let Some(rest) = key.strip_suffix(suffix)
            && !rest.is_empty()
        {
            return rest.to_owned();
        }
    }
    key
}

/// Header names as exports and hand-made lists write them; compared after
/// [`normalize`], so case, spaces and punctuation do not matter.
const SYNONYMS: &[(&str, Column)] = &[
    ("ФИО", Column::FullName),
    ("ФИО покупателя", Column::FullName),
    ("ФИО клиента", Column::FullName),
    ("Покупатель", Column::FullName),
    ("Клиент", Column::FullName),
    ("Наименование", Column::FullName),
    ("Полное имя", Column::FullName),
    ("Full name", Column::FullName),
    ("Name", Column::FullName),
    ("Customer", Column::FullName),
    ("Customer name", Column::FullName),
    ("Client", Column::FullName),
    ("Фамилия", Column::LastName),
    ("Last name", Column::LastName),
    ("Surname", Column::LastName),
    ("Family name", Column::LastName),
    ("Имя", Column::FirstName),
    ("First name", Column::FirstName),
    ("Given name", Column::FirstName),
    ("Отчество", Column::MiddleName),
    ("Middle name", Column::MiddleName),
    ("Patronymic", Column::MiddleName),
    ("Телефон", Column::Phone),
    ("Тел.", Column::Phone),
    ("Моб. тел.", Column::Phone),
    ("Мобильный", Column::Phone),
    ("Мобильный телефон", Column::Phone),
    ("Моб. телефон", Column::Phone),
    ("Телефон мобильный", Column::Phone),
    ("Сотовый", Column::Phone),
    ("Сотовый телефон", Column::Phone),
    ("Номер телефона", Column::Phone),
    ("Контактный телефон", Column::Phone),
    ("Phone", Column::Phone),
    ("Phone number", Column::Phone),
    ("Telephone", Column::Phone),
    ("Tel", Column::Phone),
    ("Mobile", Column::Phone),
    ("Mobile phone", Column::Phone),
    ("E-mail", Column::Email),
    ("Эл. почта", Column::Email),
    ("Электронная почта", Column::Email),
    ("Адрес электронной почты", Column::Email),
    ("Почта", Column::Email),
    ("Mail", Column::Email),
    ("E-mail address", Column::Email),
    ("Пол", Column::Gender),
    ("Gender", Column::Gender),
    ("Sex", Column::Gender),
    ("Дата рождения", Column::BirthDate),
    ("Дата рожд.", Column::BirthDate),
    ("ДР", Column::BirthDate),
    ("День рождения", Column::BirthDate),
    ("Birth date", Column::BirthDate),
    ("Birthday", Column::BirthDate),
    ("Date of birth", Column::BirthDate),
    ("DOB", Column::BirthDate),
    ("Адрес", Column::Address),
    ("Адрес проживания", Column::Address),
    ("Почтовый адрес", Column::Address),
    ("Address", Column::Address),
    ("Регион", Column::Region),
    ("Область", Column::Region),
    ("Регион/область", Column::Region),
    ("Край", Column::Region),
    ("Region", Column::Region),
    ("Город", Column::City),
    ("Населённый пункт", Column::City),
    ("Нас. пункт", Column::City),
    ("City", Column::City),
    ("Town", Column::City),
    ("Группа", Column::Group),
    ("Группа покупателей", Column::Group),
    ("Группа покупателя", Column::Group),
    ("Группа клиентов", Column::Group),
    ("Покупательская группа", Column::Group),
    ("Group", Column::Group),
    ("Customer group", Column::Group),
    ("Статус", Column::Status),
    ("Статус покупателя", Column::Status),
    ("Статус клиента", Column::Status),
    ("Status", Column::Status),
    ("Примечание", Column::Notes),
    ("Примечания", Column::Notes),
    ("Комментарий", Column::Notes),
    ("Комментарии", Column::Notes),
    ("Заметка", Column::Notes),
    ("Заметки", Column::Notes),
    ("Notes", Column::Notes),
    ("Note", Column::Notes),
    ("Comment", Column::Notes),
    ("Comments", Column::Notes),
    ("Внешний код", Column::ExternalId),
    ("Внешний ID", Column::ExternalId),
    ("Внешний идентификатор", Column::ExternalId),
    ("Код", Column::ExternalId),
    ("Код клиента", Column::ExternalId),
    ("Код покупателя", Column::ExternalId),
    ("ID клиента", Column::ExternalId),
    ("Идентификатор", Column::ExternalId),
    ("ID", Column::ExternalId),
    ("External id", Column::ExternalId),
    ("Customer id", Column::ExternalId),
    ("Client id", Column::ExternalId),
    ("Магазин", Column::StoreCode),
    ("Магазин регистрации", Column::StoreCode),
    ("Код магазина", Column::StoreCode),
    ("Точка", Column::StoreCode),
    ("Торговая точка", Column::StoreCode),
    ("Точка продаж", Column::StoreCode),
    ("Store", Column::StoreCode),
    ("Store code", Column::StoreCode),
    ("Shop", Column::StoreCode),
    ("Канал", Column::Channel),
    ("Канал регистрации", Column::Channel),
    ("Источник регистрации", Column::Channel),
    ("Channel", Column::Channel),
    ("Заблокирован", Column::Blocked),
    ("Заблокирована", Column::Blocked),
    ("Блокирован", Column::Blocked),
    ("Блокировка", Column::Blocked),
    ("Blocked", Column::Blocked),
    ("Is blocked", Column::Blocked),
    ("Согласие", Column::Consent(ConsentKind::General)),
    (
        "Согласие на рассылку",
        Column::Consent(ConsentKind::General),
    ),
    (
        "Согласие на рассылки",
        Column::Consent(ConsentKind::General),
    ),
    (
        "Согласие на получение рассылки",
        Column::Consent(ConsentKind::General),
    ),
    (
        "Подписка на рассылку",
        Column::Consent(ConsentKind::General),
    ),
    (
        "Согласие на обработку ПД",
        Column::Consent(ConsentKind::General),
    ),
    (
        "Согласие на обработку персональных данных",
        Column::Consent(ConsentKind::General),
    ),
    ("Consent", Column::Consent(ConsentKind::General)),
    ("Marketing consent", Column::Consent(ConsentKind::General)),
    ("Согласие на SMS", Column::Consent(ConsentKind::Sms)),
    ("Согласие на СМС", Column::Consent(ConsentKind::Sms)),
    (
        "Согласие на SMS-рассылку",
        Column::Consent(ConsentKind::Sms),
    ),
    (
        "Согласие на СМС-рассылку",
        Column::Consent(ConsentKind::Sms),
    ),
    ("SMS", Column::Consent(ConsentKind::Sms)),
    ("СМС", Column::Consent(ConsentKind::Sms)),
    ("SMS-рассылка", Column::Consent(ConsentKind::Sms)),
    ("СМС-рассылка", Column::Consent(ConsentKind::Sms)),
    ("SMS consent", Column::Consent(ConsentKind::Sms)),
    ("Согласие на e-mail", Column::Consent(ConsentKind::Email)),
    (
        "Согласие на e-mail-рассылку",
        Column::Consent(ConsentKind::Email),
    ),
    (
        "Согласие на рассылку по e-mail",
        Column::Consent(ConsentKind::Email),
    ),
    ("E-mail-рассылка", Column::Consent(ConsentKind::Email)),
    ("Email consent", Column::Consent(ConsentKind::Email)),
    ("Viber", Column::Consent(ConsentKind::Viber)),
    ("Вайбер", Column::Consent(ConsentKind::Viber)),
    ("Согласие на Viber", Column::Consent(ConsentKind::Viber)),
    ("Push", Column::Consent(ConsentKind::Push)),
    ("Push-уведомления", Column::Consent(ConsentKind::Push)),
    ("Пуш-уведомления", Column::Consent(ConsentKind::Push)),
    ("Согласие на push", Column::Consent(ConsentKind::Push)),
    ("Мессенджер", Column::Consent(ConsentKind::Messenger)),
    ("Мессенджеры", Column::Consent(ConsentKind::Messenger)),
    (
        "Согласие на мессенджеры",
        Column::Consent(ConsentKind::Messenger),
    ),
    ("Messenger", Column::Consent(ConsentKind::Messenger)),
    (
        "Отказ от бумажного чека",
        Column::Consent(ConsentKind::PaperReceiptRefusal),
    ),
    (
        "Без бумажного чека",
        Column::Consent(ConsentKind::PaperReceiptRefusal),
    ),
    (
        "Paper receipt refusal",
        Column::Consent(ConsentKind::PaperReceiptRefusal),
    ),
];

#[cfg(test)]
mod tests {
    use super::*;
    use clientele_domain::{PropertyId, PropertyKind};

    fn headers(names: &[&str]) -> Vec<String> {
        names.iter().map(|name| (*name).to_owned()).collect()
    }

    fn columns(names: &[&str]) -> Vec<Option<Column>> {
        match_headers(&headers(names), &[]).columns
    }

    fn property(name: &str, label: &str) -> PropertyDefinition {
        PropertyDefinition {
            id: PropertyId(1),
            name: PropertyName::parse(name).unwrap(),
            label: label.to_owned(),
            kind: PropertyKind::String,
            choices: Vec::new(),
            created_at: jiff::Timestamp::UNIX_EPOCH,
        }
    }

    #[test]
    fn regos_style_headers() {
        assert_eq!(
            columns(&[
                "Ф.И.О.",
                "Телефон",
                "Дата рождения",
                "Пол",
                "Группа покупателей",
                "Статус",
                "Заблокирован",
                "Примечание",
            ]),
            [
                Some(Column::FullName),
                Some(Column::Phone),
                Some(Column::BirthDate),
                Some(Column::Gender),
                Some(Column::Group),
                Some(Column::Status),
                Some(Column::Blocked),
                Some(Column::Notes),
            ]
        );
    }

    #[test]
    fn one_c_and_kontur_style_headers() {
        assert_eq!(
            columns(&[
                "Код",
                "Наименование",
                "Фамилия",
                "Имя",
                "Отчество",
                "Мобильный телефон",
                "Эл. почта",
                "Населённый пункт",
                "Область",
                "Адрес",
            ]),
            [
                Some(Column::ExternalId),
                Some(Column::FullName),
                Some(Column::LastName),
                Some(Column::FirstName),
                Some(Column::MiddleName),
                Some(Column::Phone),
                Some(Column::Email),
                Some(Column::City),
                Some(Column::Region),
                Some(Column::Address),
            ]
        );
    }

    #[test]
    fn uds_and_english_headers() {
        assert_eq!(
            columns(&[
                "Name",
                "Phone",
                "E-mail",
                "Gender",
                "Date of birth",
                "Store code",
                "Channel",
                "Paper receipt refusal",
            ]),
            [
                Some(Column::FullName),
                Some(Column::Phone),
                Some(Column::Email),
                Some(Column::Gender),
                Some(Column::BirthDate),
                Some(Column::StoreCode),
                Some(Column::Channel),
                Some(Column::Consent(ConsentKind::PaperReceiptRefusal)),
            ]
        );
    }

    #[test]
    fn case_punctuation_yo_and_required_marks_are_ignored() {
        assert_eq!(
            columns(&[
                "  ТЕЛЕФОН * ",
                "фио (обязательно)",
                "e-MAIL",
                "Населенный  пункт",
                "Дата рождения (ДД.ММ.ГГГГ)",
                "Пол (м/ж)",
            ]),
            [
                Some(Column::Phone),
                Some(Column::FullName),
                Some(Column::Email),
                Some(Column::City),
                Some(Column::BirthDate),
                Some(Column::Gender),
            ]
        );
        assert_eq!(columns(&["ДР*"]), [Some(Column::BirthDate)]);
    }

    #[test]
    fn consent_headers() {
        assert_eq!(
            columns(&[
                "Согласие на SMS",
                "Согласие на e-mail",
                "Согласие на рассылку",
                "Viber",
                "Push",
                "Мессенджер",
                "Отказ от бумажного чека",
            ]),
            [
                Some(Column::Consent(ConsentKind::Sms)),
                Some(Column::Consent(ConsentKind::Email)),
                Some(Column::Consent(ConsentKind::General)),
                Some(Column::Consent(ConsentKind::Viber)),
                Some(Column::Consent(ConsentKind::Push)),
                Some(Column::Consent(ConsentKind::Messenger)),
                Some(Column::Consent(ConsentKind::PaperReceiptRefusal)),
            ]
        );
        assert_eq!(
            columns(&["Согласие на обработку персональных данных"]),
            [Some(Column::Consent(ConsentKind::General))]
        );
        assert_eq!(columns(&["SMS"]), [Some(Column::Consent(ConsentKind::Sms))]);
    }

    #[test]
    fn our_own_export_headers() {
        let properties = [property("vision", "Зрение")];
        let keys = [
            "name",
            "phone",
            "email",
            "birth_date",
            "external_id",
            "store_code",
            "blocked",
            "consent_sms",
            "consent_paper_receipt_refusal",
            "property_vision",
        ];
        let map = match_headers(&headers(&keys), &properties);
        let read: Vec<String> = map
            .columns
            .iter()
            .map(|column| column.as_ref().unwrap().key())
            .collect();
        assert_eq!(read, keys);
        assert!(map.unknown.is_empty());
    }

    #[test]
    fn custom_properties_by_label_or_name() {
        let properties = [
            property("vision", "Зрение"),
            property("pet_name", "Кличка питомца"),
        ];
        let map = match_headers(
            &headers(&["зрение", "PET_NAME", "Кличка питомца", "Размер обуви"]),
            &properties,
        );
        assert_eq!(
            map.columns,
            [
                Some(Column::Property("vision".into())),
                Some(Column::Property("pet_name".into())),
                None,
                None,
            ]
        );
        assert_eq!(map.unknown, ["Кличка питомца", "Размер обуви"]);
    }

    #[test]
    fn builtin_names_beat_a_property_label() {
        let properties = [property("town", "Город")];
        assert_eq!(
            match_headers(&headers(&["Город"]), &properties).columns,
            [Some(Column::City)]
        );
    }

    #[test]
    fn the_first_of_a_repeated_column_wins() {
        let map = match_headers(
            &headers(&["Телефон", "Мобильный", "", "Телефон", "Что-то"]),
            &[],
        );
        assert_eq!(map.columns, [Some(Column::Phone), None, None, None, None]);
        assert_eq!(map.unknown, ["Мобильный", "Телефон", "Что-то"]);
        assert!(map.has(&Column::Phone));
        assert!(!map.has(&Column::Email));
        assert_eq!(
            map.describe()[..2],
            [
                ("Телефон".to_owned(), Some(Column::Phone)),
                ("Мобильный".to_owned(), None)
            ]
        );
    }

    #[test]
    fn a_mapping_chosen_by_hand_replaces_the_recognised_one() {
        let properties = [property("vision", "Зрение")];
        let names = headers(&["Клиент", "Тел", "Зрение"]);
        let chosen = Mapping::Chosen(vec![
            Some(Column::FullName),
            None,
            Some(Column::Property("vision".into())),
        ]);
        let map = chosen.read(&names, &properties).unwrap();
        assert_eq!(
            map.columns,
            [
                Some(Column::FullName),
                None,
                Some(Column::Property("vision".into()))
            ]
        );
        assert_eq!(map.unknown, ["Тел"]);
        assert_eq!(
            Mapping::Recognised.read(&names, &properties).unwrap(),
            match_headers(&names, &properties)
        );
    }

    #[test]
    fn a_mapping_naming_a_column_twice_or_an_unknown_property_is_refused_beside_it() {
        let names = headers(&["A", "B", "C"]);
        let chosen = Mapping::Chosen(vec![
            Some(Column::Phone),
            Some(Column::Phone),
            Some(Column::Property("shoe_size".into())),
        ]);
        let errors = chosen.read(&names, &[]).unwrap_err();
        let fields: Vec<(&str, &str)> = errors
            .0
            .iter()
            .map(|e| (e.field.as_str(), e.code))
            .collect();
        assert_eq!(
            fields,
            [
                ("column_1", "column_twice"),
                ("column_2", "unknown_property")
            ]
        );
        let short = Mapping::Chosen(vec![None]).read(&names, &[]).unwrap_err();
        assert_eq!(short.0[0].field, "columns");
    }

    #[test]
    fn keys_read_back() {
        for column in FIXED
            .into_iter()
            .chain(ConsentKind::ALL.map(Column::Consent))
            .chain([Column::Property("vision".into())])
        {
            assert_eq!(parse_column(&column.key()), Some(column));
        }
        assert_eq!(parse_column(" Phone "), Some(Column::Phone));
        assert_eq!(parse_column("Телефон"), None);
        assert_eq!(parse_column("consent_fax"), None);
        assert_eq!(parse_column("property_Bad Name"), None);
    }
}
