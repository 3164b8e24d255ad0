# The console's words in Russian, the default language.

app-name = Clientele
lang-switch = English
lang-switch-code = en
skip-to-content = К содержанию

## Navigation
nav-home = Главная
nav-customers = Покупатели
nav-birthdays = Дни рождения
nav-segments = Сегменты
nav-offers = Предложения
nav-reports = Отчёты
nav-import = Импорт
nav-settings = Настройки
sign-out = Выйти

## Sign-in
sign-in-title = Вход
sign-in-login = Логин
sign-in-password = Пароль
sign-in-submit = Войти
sign-in-wrong = Неверный логин или пароль.
sign-in-locked = Слишком много неудачных попыток. Попробуйте через { $minutes } мин.
sign-in-expired = Сеанс закончился. Войдите снова, и вы вернётесь на ту же страницу.

## Refusals
forbidden-title = Нет доступа
forbidden-text = Вашей роли «{ $role }» этот раздел недоступен. Обратитесь к администратору.
not-found-title = Не найдено
not-found-text = Такой страницы нет.
error-title = Что-то пошло не так
back-home = На главную
error-text = Мы записали, что случилось, и разберёмся. Попробуйте ещё раз чуть позже.
bad-request-title = Не получилось прочитать запрос
bad-request-text = В адресе или в форме что-то не так. Вернитесь на предыдущую страницу и попробуйте ещё раз.
conflict-title = Не получилось
list-cursor-stale = Эта страница списка устарела. Начните с первой страницы.

## Home
home-title = Главная
home-customers = Покупатели
home-active-30 = Активны за 30 дней
home-receipts-today = Чеков сегодня
home-revenue-today = Выручка сегодня
home-points-owed = Баллы к оплате (обязательство)
home-as-of = Данные на { $time }, обновляются раз в минуту
home-chart-title = Продажи за 90 дней
home-chart-receipts = Чеки
home-chart-revenue = Выручка, ₽
home-chart-table = Таблица по дням
home-day = День
home-refunds = Возвраты

## Customers list
customers-title = Покупатели
customers-search = Поиск
customers-search-hint = Имя, телефон или его часть, e-mail, номер карты
customers-search-submit = Найти
customers-filters = Фильтры
customers-apply = Применить
customers-reset = Сбросить
customers-found = { $count ->
    [one] Найден { $count } покупатель
    [few] Найдено { $count } покупателя
   *[many] Найдено { $count } покупателей
}
customers-none = Никого не нашлось. Измените запрос или фильтры.
customers-next = Дальше
customers-first = В начало
customers-new = Новый покупатель
column-name = Имя
column-phone = Телефон
column-email = E-mail
column-birth-date = Дата рождения
column-created = Регистрация
column-group = Группа
column-status = Статус
filter-gender = Пол
gender-female = Женский
gender-male = Мужской
filter-status = Статус
status-active = Активен
status-incomplete = На контроле
status-archived = В архиве
filter-age = Возраст
filter-birthday = День рождения
filter-created = Зарегистрирован
filter-favourite = Только избранные
filter-group = Группа
filter-segment = Сегмент
sort-by = Сортировка
sort-name-asc = По имени
blocked = Заблокирован

## Customer page
customer-spent = Потрачено
customer-purchases = Покупок
customer-average = Средний чек
customer-last-purchase = Последняя покупка
customer-balance = Баланс
customer-next-expiry = Ближайшее сгорание
customer-tier = Уровень
customer-no-tier = нет
customer-never = ещё не было
tab-purchases = Покупки
tab-returns = Возвраты
tab-points = Баллы
tab-cards = Карты
tab-certificates = Сертификаты
tab-referrals = Рекомендации
tab-consents = Согласия
tab-notes = Заметки
tab-audit = Журнал
points-count = { $count ->
    [one] { $count } балл
    [few] { $count } балла
   *[many] { $count } баллов
}
purchases-count = { $count ->
    [one] { $count } покупка
    [few] { $count } покупки
   *[many] { $count } покупок
}
receipt-number = Чек
receipt-date = Дата
receipt-total = Сумма
receipt-discount = Скидка
receipt-paid-points = Оплачено баллами
receipt-accrued = Начислено
entry-kind = Операция
entry-points = Баллы
entry-comment = Комментарий
kind-accrual = Начисление за покупку
kind-payment = Оплата баллами
kind-manual = Вручную
kind-birthday = День рождения
kind-referral = За рекомендацию
kind-expiry = Сгорание
kind-return_reversal = Возврат: списание начисленного
kind-return_refund = Возврат: баллы вернулись
kind-merge = Объединение
kind-opening_balance = Перенос остатка
card-barcode = Номер карты
card-state = Состояние
card-active = Действует
card-withdrawn = Выведена
certificate-code = Код
certificate-balance = Остаток
certificate-valid-to = Действует до
consent-channel = Канал
consent-given = Согласие
consent-yes = дано
consent-no = нет
nothing-yet = Пока ничего нет.

## Months, in the genitive for dates and the nominative for the calendar
month-1 = января
month-2 = февраля
month-3 = марта
month-4 = апреля
month-5 = мая
month-6 = июня
month-7 = июля
month-8 = августа
month-9 = сентября
month-10 = октября
month-11 = ноября
month-12 = декабря

## Consent channels
consent-general = Обработка данных и сообщения
consent-sms = SMS
consent-email = E-mail
consent-viber = Viber
consent-push = Push-уведомления
consent-messenger = Мессенджеры
consent-paper_receipt_refusal = Отказ от бумажного чека

## Settings
settings-title = Настройки
settings-groups = Группы покупателей
settings-stores = Магазины
settings-properties = Дополнительные свойства
settings-cards = Группы карт и тиражи
settings-programs = Программы и уровни
settings-certificates = Шаблоны сертификатов
settings-staff = Сотрудники и роли
settings-tills = Ключи касс

## Customer form
customer-edit = Изменить данные
form-required = обязательное поле
form-step-contacts = 1. Контакты
form-step-about = 2. О покупателе
form-step-group = 3. Группа и магазин
form-step-consents = 4. Согласия
form-step-more = 5. Дополнительно
field-name = Имя
field-name-hint = Как обращаться к покупателю: имя, можно с фамилией.
field-phone = Телефон
field-phone-hint = В любом виде: 8 912 345-67-89, +7 (912) 3456789.
field-email = E-mail
field-gender = Пол
field-birth-date = Дата рождения
field-birth-date-hint = Для поздравлений и бонусов ко дню рождения.
field-city = Город
field-address = Адрес
field-group = Группа
field-store = Магазин регистрации
field-store-none = Не указан
field-notes = Заметки
field-consents-hint = Отмечайте только те каналы, на которые покупатель согласился.
form-save = Сохранить
form-cancel = Отмена
form-has-errors = Проверьте поля, отмеченные ниже.
error-required = Заполните это поле.
error-invalid_phone = Это не похоже на номер телефона.
error-invalid_email = Это не похоже на адрес e-mail.
error-invalid_date = Дата в виде ГГГГ-ММ-ДД.
error-implausible_date = Такой даты рождения не бывает.
error-too_long = Слишком длинно.
error-invalid_value = Недопустимое значение.
error-unknown_reference = Такой записи нет.
error-taken = Это значение уже занято.
error-taken-by = Уже есть у покупателя №{ $id }.
error-repeated = То же, что в строке выше в этом файле.

## ошибки по коду, который дал сценарий
error-already_merged = Этот покупатель уже присоединён к другому.
error-balance_without_owner = У карты без владельца не может быть баллов: укажите телефон владельца.
error-before_start = Дата окончания раньше даты начала.
error-before_valid_from = Карта действует до даты, которая раньше начала её действия.
error-blank_card = Карта не выдана: укажите её владельца.
error-choice_in_use = Этот вариант уже выбран у покупателей и не может быть удалён.
error-column_twice = Этот столбец уже выбран для другого поля.
error-columns_mismatch = Число столбцов в файле не совпадает с сопоставлением.
error-duplicate = Два уровня не могут начинаться с одной и той же суммы покупок.
error-expired = Срок действия баллов уже истёк.
error-in_past = Укажите дату в будущем.
error-check_digit = Неверная контрольная цифра.
error-invalid = Недопустимое значение.
error-invalid_code = Код: от 1 до 32 латинских букв, цифр, «-», «_» или «.».
error-invalid_gender = Пол — «м» или «ж».
error-invalid_kind = Недопустимый вид.
error-invalid_login = Логин: от 2 до 64 латинских букв, цифр, «.», «_», «-» или «@».
error-invalid_name = Недопустимое название.
error-names_nobody = Ни одна строка файла не назвала покупателя: проверьте телефоны и номера карт.
error-invalid_parent = Такой родительский узел не подходит.
error-negative = Не может быть меньше нуля.
error-no_name_column = Ни один столбец не содержит имени покупателя (например, «ФИО», «Фамилия»).
error-no_stores = Для демонстрационных чеков нужен магазин.
error-not_allowed = Здесь это не допускается.
error-not_positive = Должно быть больше нуля.
error-out_of_range = Значение вне допустимых пределов.
error-password_has_login = Пароль не должен содержать логин.
error-password_too_short = Пароль слишком короткий.
error-rounded = Таблица округлила число в экспоненциальную запись, последние цифры потеряны: сохраните столбец как текст.
error-rounded_phone = Таблица округлила телефон в экспоненциальную запись, последние цифры потеряны: сохраните столбец как текст.
error-same_customer = Нельзя объединить покупателя с самим собой.
error-self_referral = Покупатель не может пригласить сам себя.
error-too_large = Слишком большое значение.
error-too_many = Слишком много.
error-too_precise = Не больше трёх знаков после запятой.
error-unknown_customer = Такого покупателя нет.
error-unknown_group = Такой группы нет.
error-unknown_module = Такого раздела нет.
error-unknown_right = Такого права нет.
error-unknown_role = Такой роли нет.
error-unknown_store = Такого магазина нет.
error-unreadable = Файл не удалось прочитать.
error-ambiguous = Укажите покупателя одним способом: картой, телефоном или номером.
error-card_refused = Карта не выдана: отправьте с ней телефон покупателя.
error-in_future = Время продажи позже текущего.
error-no_points = Баллами можно оплатить только чек участника бонусной программы.
error-other_store = Касса относится к другому магазину.
error-refused = Отказано.
error-too_many_points = Столько баллов нет.
error-unknown = Не найдено.
error-customer_required = Сначала укажите покупателя.
error-not_running = Это предложение сейчас не действует.
error-nul_character = Текст содержит недопустимый символ.
error-one_of = Укажите что-то одно.
error-unknown_parameter = Неизвестный параметр.
error-note_too_long = Заметка — не длиннее 2000 знаков.
error-out_of_range-valid_days = От 1 до 3660 дней.
error-out_of_range-face_value_minor = Номинал должен быть больше нуля.
error-out_of_range-points = Число баллов не ноль и не больше допустимого.
error-out_of_range-count = Слишком много за один раз.
error-out_of_range-customer_ids = Слишком много покупателей за один раз.
error-password_too_short-password = Пароль — не меньше 10 символов.


## Points by hand
points-action = Начислить или списать баллы
points-accrue = Начислить
points-write_off = Списать
points-amount = Сколько баллов
points-comment = Причина
points-message = Сообщение покупателю
points-message-hint = Уйдёт покупателю по его каналам связи.
points-password = Ваш пароль
points-submit = Провести
points-done = Баллы проведены.
points-invalid = Число баллов больше нуля, например 150 или 12,5.
points-wrong-password = Пароль неверный.
points-not-enough = У покупателя нет столько баллов, ничего не списано.

## Cards
card-replace = Заменить карту
card-new-barcode = Номер новой карты
card-new-barcode-hint = Отсканируйте новую карту или оставьте пустым: выпустим следующий номер группы.
card-reason = Причина замены
card-replaced = Карта заменена, старая выведена из оборота.
card-barcode-taken = Карта с таким номером уже есть.

## Birthdays
birthdays-previous = Раньше
birthdays-next = Позже
birthdays-pick = Выберите день, чтобы увидеть именинников.
birthdays-none = В этот день никто не родился.
birthdays-turns = Исполняется
birthdays-count = { $count ->
    [one] { $count } именинник
    [few] { $count } именинника
   *[many] { $count } именинников
}
birthdays-action = Баллы и поздравление всем именинникам дня
birthdays-points-done = Баллы начислены, поздравления ждут отправки.
birthdays-nobody = В этот день нет именинников.
month-name-1 = Январь
month-name-2 = Февраль
month-name-3 = Март
month-name-4 = Апрель
month-name-5 = Май
month-name-6 = Июнь
month-name-7 = Июль
month-name-8 = Август
month-name-9 = Сентябрь
month-name-10 = Октябрь
month-name-11 = Ноябрь
month-name-12 = Декабрь
weekday-1 = Пн
weekday-2 = Вт
weekday-3 = Ср
weekday-4 = Чт
weekday-5 = Пт
weekday-6 = Сб
weekday-7 = Вс
customers-found-more = Найдено больше { $count } покупателей

## Bulk actions on ticked customers
bulk-tick = Отметить
bulk-title = С отмеченными покупателями
bulk-certificate = Выдать каждому сертификат
bulk-issue = Выдать
bulk-no-templates = Шаблонов сертификатов пока нет: создайте их в настройках.
bulk-none-ticked = Отметьте покупателей в списке.
bulk-no-template = Выберите шаблон сертификата.
bulk-refused = Действие не выполнено: проверьте выбранное.
bulk-certificates-done = { $count ->
    [one] Выдан { $count } сертификат
    [few] Выдано { $count } сертификата
   *[many] Выдано { $count } сертификатов
}
bulk-template = Шаблон
bulk-points = Начислить или списать баллы каждому
bulk-points-submit = Провести баллы
bulk-points-forbidden = Баллы вручную этой роли не разрешены.
bulk-points-done = { $count ->
    [one] Баллы проведены { $count } покупателю
   *[other] Баллы проведены { $count } покупателям
}
bulk-tier = Назначить уровень
bulk-tier-submit = Назначить
bulk-tier-done = { $count ->
    [one] Уровень назначен { $count } покупателю
   *[other] Уровень назначен { $count } покупателям
}
bulk-group = Перевести в группу
bulk-group-choose = Группа
bulk-group-submit = Перевести
bulk-group-done = { $count ->
    [one] В группу переведён { $count } покупатель
    [few] В группу переведены { $count } покупателя
   *[many] В группу переведены { $count } покупателей
}
bulk-export = Выгрузить отмеченных в Excel
bulk-export-failed = Файл не удалось собрать, попробуйте ещё раз.
favourite = Избранное
favourite-add = Добавить в избранное
favourite-remove = Убрать из избранного
quick-title = Кратко
quick-open = Открыть карточку

## Blocking
customer-block = Заблокировать
customer-unblock = Разблокировать
customer-block-reason = Причина блокировки
customer-blocked-done = Покупатель заблокирован: на кассе его карта не примется.
customer-unblocked-done = Покупатель разблокирован.

## Tier by hand
customer-tier-action = Назначить уровень
customer-tier-until = До какого дня
customer-tier-until-hint = Пусто — бессрочно. Покупка, дотягивающая до более высокого уровня, всё равно его поднимет.
customer-tier-done = Уровень назначен.

## Settings pages: groups, stores, properties, staff and roles, till keys
settings-back = К списку
settings-actions = Действия
settings-edit = Изменить
settings-delete = Удалить
settings-done-created = Создано.
settings-done-saved = Сохранено.
settings-done-deleted = Удалено.
settings-done-role-created = Роль создана.
settings-role-edit = Изменить роль
settings-done-role-updated = Роль изменена.
error-built_in_role = Встроенная роль сохраняет свои права: создайте свою.
settings-done-rotated = Ключ кассы заменён.
settings-done-revoked = Касса отключена: её ключ больше не действует.
settings-error-last-owner = Это последний действующий владелец: сначала назначьте другого.
settings-error-invalid_code = Код — от 1 до 32 знаков: латинские буквы, цифры, «-», «_» и «.».
settings-error-invalid_kind = Выберите вид из списка.
settings-error-invalid_parent = Сюда его поместить нельзя: выше может стоять только более крупный узел (регион → город → район → магазин).
settings-error-invalid_name = Имя — от 1 до 48 знаков: строчные латинские буквы, цифры и «_», первой идёт буква.
settings-error-not_allowed = Варианты бывают только у свойства «выбор из списка».
settings-error-choice_in_use = Варианты можно добавлять, но не убирать: их уже могут использовать.
settings-error-invalid_login = Логин — от 2 до 64 знаков: латинские буквы, цифры, «.», «_», «-» или «@».
settings-error-password_too_short = Пароль — не короче 10 знаков.
settings-error-password_has_login = Пароль не должен содержать логин.
settings-error-unknown_role = Выберите роль из списка.
settings-error-unknown_store = Нет магазина с таким кодом.
settings-group-name = Название группы
settings-group-new = Новая группа
settings-group-edit = Группа покупателей
settings-group-make-default = Группа по умолчанию
settings-group-make-default-hint = В неё попадают новые покупатели, если группа не указана.
settings-group-default = по умолчанию
settings-group-customers = Покупатели
settings-group-open-customers = Открыть список
settings-group-in-use = Удалить можно только пустую группу, которая не является группой по умолчанию.
settings-stores-none = Магазинов пока нет.
settings-store-new = Новый узел
settings-store-edit = Узел { $code }
settings-store-code = Код
settings-store-code-hint = По нему узел знают кассы, импорт и отчёты, например MSK-01.
settings-store-name = Название
settings-store-kind = Вид
settings-store-kind-region = Регион
settings-store-kind-city = Город
settings-store-kind-district = Район
settings-store-kind-store = Магазин
settings-store-parent = Входит в
settings-store-parent-hint = Регион, город или район выше; у региона его нет.
settings-store-no-parent = — верхний уровень —
settings-store-address = Адрес
settings-store-add-below = Добавить внутрь
settings-properties-none = Свойств пока нет.
settings-property-new = Новое свойство
settings-property-edit = Свойство «{ $name }»
settings-property-name = Имя в системе
settings-property-name-hint = Латинскими буквами, цифрами и «_»: по нему фильтруют и импортируют.
settings-property-label = Подпись
settings-property-label-hint = Что видят сотрудники, например «Зрение».
settings-property-kind = Тип
settings-property-kind-string = Текст
settings-property-kind-number = Число
settings-property-kind-date = Дата
settings-property-kind-bool = Да или нет
settings-property-kind-choice = Выбор из списка
settings-property-choices = Варианты
settings-property-choices-hint = Только для выбора из списка: по одному варианту в строке.
settings-property-choices-kept = По одному в строке. Новые можно добавить; прежние убрать нельзя.
settings-staff-new = Новый сотрудник
settings-staff-edit = Сотрудник { $login }
settings-staff-login = Логин
settings-staff-login-hint = Латиницей, от 2 до 64 знаков; с ним сотрудник входит в консоль.
settings-staff-name = Имя
settings-staff-role = Роль
settings-staff-choose-role = — выберите роль —
settings-staff-password = Пароль
settings-staff-password-hint = Не короче 10 знаков и без логина внутри.
settings-staff-new-password = Новый пароль
settings-staff-new-password-hint = Пусто — пароль не меняется.
settings-staff-stores = Магазины
settings-staff-stores-hint = Коды регионов, городов или магазинов через запятую: сотрудник увидит только их покупателей. Пусто — все.
settings-staff-all-stores = все
settings-staff-state = Состояние
settings-staff-is-active = работает
settings-staff-active = Может входить
settings-staff-active-hint = Снимите галочку, чтобы заблокировать сотрудника и все его токены.
settings-roles = Роли
settings-role-new = Новая роль
settings-role-name = Название роли
settings-role-built-in = встроенная
settings-role-nothing = никаких прав
settings-role-permissions = Права по разделам
settings-role-permissions-hint = «Правка» включает просмотр. Раздел без галочек закрыт.
settings-role-module = Раздел
settings-right-view = просмотр
settings-right-edit = правка
role-owner = Владелец
role-marketer = Маркетолог
role-manager = Управляющий
role-registration_desk = Стойка регистрации
role-support = Поддержка
role-cashier = Кассир

## категории товаров, как их присылает касса, по коду
category-alcohol = Алкоголь
category-bakery = Выпечка
category-dairy = Молочное
category-drinks = Напитки
category-grocery = Бакалея
category-household = Бытовая химия
category-meat = Мясо
category-pets = Зоотовары
category-produce = Овощи и фрукты
category-sweets = Сладости
category-tobacco = Табак

## поля, которые называет журнал изменений
audit-field-name = имя
audit-field-phone = телефон
audit-field-email = e-mail
audit-field-birth_date = дата рождения
audit-field-address = адрес
audit-field-documents = документы
audit-field-gender = пол
audit-field-region = регион
audit-field-city = город
audit-field-group_id = группа
audit-field-status = статус
audit-field-blocked = блокировка
audit-field-blocked_reason = причина блокировки
audit-field-notes = заметки
audit-field-referrer_id = кто пригласил
audit-field-channel = канал регистрации
audit-field-store_id = магазин регистрации
audit-field-external_id = внешний код
audit-field-consents = согласия
audit-field-properties = свойства
audit-field-template_id = шаблон
audit-field-face_value_minor = номинал
audit-field-merged_into = объединён с
audit-field-card = карта
audit-field-reason = причина
audit-field-tier_id = уровень
audit-field-balance_minor = остаток
audit-field-valid_to = действует до
audit-field-code = код
audit-field-points = баллы
audit-field-comment = комментарий
audit-field-message = сообщение покупателю

settings-module-customers = Покупатели
settings-module-programs = Карты и программы
settings-module-points = Баллы вручную
settings-module-segments = Сегменты
settings-module-campaigns = Рассылки
settings-module-reports = Отчёты
settings-module-settings = Настройки
settings-module-staff = Сотрудники и кассы
settings-module-pos = Касса
settings-tills-none = Касс пока нет.
settings-till-new = Новая касса
settings-till-name = Касса
settings-till-name-hint = Например, «Касса 2»; пусто — «Касса».
settings-till-store = Магазин
settings-till-store-hint = Ключ кассы видит только покупателей этого магазина.
settings-till-choose-store = — выберите магазин —
settings-till-key-issued = Ключ выдан
settings-till-state = Состояние
settings-till-live = действует
settings-till-revoked = отключена
settings-till-rotate = Заменить ключ
settings-till-rotate-warning = Старый ключ перестанет действовать сразу: впишите новый в кассу.
settings-till-rotate-confirm = Да, заменить ключ
settings-till-revoke = Отключить
settings-till-revoke-warning = Касса больше не сможет проводить чеки. Отменить это нельзя.
settings-till-revoke-confirm = Да, отключить кассу
settings-till-key-title = Ключ кассы «{ $name }»
settings-till-key = Ключ
settings-till-key-once = Скопируйте ключ сейчас и впишите его в кассу: он показан один раз, и больше его не увидит никто.
settings-till-key-copied = Я скопировал ключ
## Programs settings
programs-title = Программы лояльности
programs-new = Новая программа
programs-none = Программ пока нет.
programs-back = ← Все программы
programs-settings-back = ← Настройки
programs-created = Создана
program-default = по умолчанию
program-edit = Изменить программу
program-new-title = Новая программа лояльности
program-edit-title = Программа «{ $name }»
program-section-main = Программа
program-section-points = Баллы
program-section-discount = Скидка
program-section-lines = Какие товары участвуют
program-field-name = Название
program-field-kind = Вид
program-field-is_default = Программа по умолчанию: для покупателей без карты другой программы
program-field-earn_rate = Начисление, % от оплаченного деньгами
program-field-earn_rate-hint = Например, 5 — с чека на 1 000 ₽ начислится 50 баллов. Уровень может задать своё.
program-field-max_payable_share = Оплата баллами, не больше % чека
program-field-max_payable_share-hint = Например, 50 — баллами можно оплатить половину чека.
program-field-accrual_delay_days = Баллы доступны через, дней
program-field-accrual_delay_days-hint = 0 — сразу после покупки. Пока баллы не доступны, их не списать (и их можно забрать при возврате).
program-field-expiry_days = Баллы сгорают через, дней
program-field-expiry_days-hint = Считая с дня, когда баллы стали доступны. 0 — не сгорают.
program-field-discount = Скидка, %
program-field-discount-hint = Для фиксированной скидки. У накопительной скидка задаётся уровнями.
program-field-min_price = Не участвуют товары дешевле, ₽
program-field-min_price-hint = 0 — участвуют все.
program-field-excluded_categories = Категории вне программы
program-field-excluded_categories-hint = Через запятую, например: Табак, Алкоголь. Они не получают баллов и скидки и не оплачиваются баллами.
program-field-tier_period_days = Уровень по покупкам за, дней
program-field-tier_period_days-hint = 0 — за всё время.
program-section-rewards = День рождения и приглашения
program-field-birthday_points = Баллы ко дню рождения
program-field-birthday_points-hint = 0 — не начислять. Приходят раз в год.
program-field-birthday_days_before = За сколько дней до дня рождения
program-field-birthday_days_before-hint = 0 — в сам день рождения.
program-field-birthday_message = Поздравление
program-field-birthday_message-hint = Уходит покупателю вместе с баллами по его каналам связи.
program-field-referral_points = Баллы за приглашённого
program-field-referral_points-hint = Тому, кто пригласил, после первой покупки приглашённого. 0 — не начислять.
program-kind-bonus = Бонусная (баллы)
program-kind-cumulative_discount = Накопительная скидка
program-kind-fixed_discount = Фиксированная скидка
program-error-kind = Выберите вид программы.
programs-error-number = Введите число, например 5 или 2,5.
programs-error-whole = Введите целое число не меньше нуля.
programs-error-percent = От 0 до 100 %.
programs-error-negative = Не может быть меньше нуля.
programs-error-too_large = Слишком много: не больше 100 лет.
programs-error-duplicate = Уровень с таким порогом уже есть.
programs-error-face_value-out_of_range = От 0,01 до 1 000 000 ₽.
programs-error-valid_days-out_of_range = От 1 до 3 660 дней.
programs-error-count-out_of_range = От 1 до 100 000 карт за тираж.
program-after-days = { $count ->
    [one] через { $count } день
    [few] через { $count } дня
   *[many] через { $count } дней
}
program-at-once = сразу
program-never = не сгорают
program-last-days = { $count ->
    [one] за последний { $count } день
    [few] за последние { $count } дня
   *[many] за последние { $count } дней
}
program-lifetime = за всё время
tiers-title = Уровни
tiers-none = Уровней нет
tier-name = Уровень
tier-threshold = Порог, ₽ покупок
tier-threshold-hint = С какой суммы покупок уровень действует, например 10 000.
tier-rate-hint = Пусто — как у программы.
tier-rate-program = как у программы
tier-earn-rate = Начисление
tier-discount = Скидка
tier-edit = Изменить
tier-add = Добавить уровень
tier-add-submit = Добавить
tier-saved = Уровень сохранён.
tier-added = Уровень добавлен.
preview-title = Что получит покупатель
preview-hint = Наберите пример чека: цена и количество в каждой строке, по желанию уровень или сумму прошлых покупок. Расчёт тот же, что на кассе.
preview-name = Товар
preview-category = Категория
preview-price = Цена, ₽
preview-quantity = Количество
preview-tier = Уровень
preview-tier-by-spend = по сумме покупок
preview-spent = Уже купил на, ₽
preview-submit = Посчитать
preview-empty = Введите цену хотя бы в одной строке.
preview-error-quantity = Количество больше нуля, не больше трёх знаков после запятой.
preview-line = Строка { $row }
preview-points = { $count ->
    [one] { $points } балл
    [few] { $points } балла
    [many] { $points } баллов
   *[other] { $points } балла
}
preview-who = Покупатель
preview-who-tier = Покупатель с уровнем „{ $tier }“
preview-who-no-tier = Покупатель без уровня
preview-bonus = { $who } за чек на { $total } получит { $points }; баллами можно оплатить до { $payable }.
preview-discount = { $who } за чек на { $total } получит скидку { $discount } и заплатит { $to_pay }.
preview-left-out = Не участвуют в программе: { $names }.
preview-usable-now = Баллы можно потратить сразу.
preview-usable-after = { $count ->
    [one] Баллы станут доступны через { $count } день.
    [few] Баллы станут доступны через { $count } дня.
   *[many] Баллы станут доступны через { $count } дней.
}
preview-never-expire = Баллы не сгорают.
preview-expire-after = { $count ->
    [one] Баллы сгорят через { $count } день после этого.
    [few] Баллы сгорят через { $count } дня после этого.
   *[many] Баллы сгорят через { $count } дней после этого.
}
cards-title = Группы карт и тиражи
card-groups-none = Групп карт пока нет.
card-group-name = Группа карт
card-group-program = Программа
card-group-new = Новая группа карт
card-group-needs-program = Сначала создайте программу лояльности:
card-group-submit = Создать группу
print-runs-title = Выпуски карт
print-runs-when = Когда
print-runs-numbers = Номера
card-group-edit = Изменить
card-group-saved = Группа карт сохранена.
card-group-created = Группа карт создана.
print-run-title = Тираж
print-run-count = Сколько карт
print-run-submit = Выпустить
print-run-done = { $count ->
    [one] В группе «{ $group }» выпущена { $count } карта: с { $first } по { $last }.
    [few] В группе «{ $group }» выпущено { $count } карты: с { $first } по { $last }.
   *[many] В группе «{ $group }» выпущено { $count } карт: с { $first } по { $last }.
}
certificates-title = Шаблоны сертификатов
certificate-templates-none = Шаблонов пока нет.
certificate-name = Шаблон
certificate-face-value = Номинал
certificate-face-value-hint = Например, 3 000.
certificate-validity = Срок действия
certificate-valid-days = { $count ->
    [one] { $count } день
    [few] { $count } дня
   *[many] { $count } дней
}
certificate-valid-days-field = Действует, дней
certificate-valid-days-hint = Со дня выдачи, например 365.
certificate-usage = Как тратится
certificate-partial = частями, остаток сохраняется
certificate-whole = целиком, за одну покупку
certificate-template-new = Новый шаблон сертификата
certificate-template-submit = Создать шаблон
certificate-template-edit = Изменить
certificate-template-saved = Шаблон сохранён.
certificate-template-edit-hint = Новые условия — для сертификатов, выданных после сохранения; выданные раньше остаются как были.
certificate-template-created = Шаблон сертификата создан.
## Import
import-title = Загрузка покупателей из файла
import-intro = Загрузите список покупателей из Excel или CSV: сначала проверим столбцы, затем сделаем пробный прогон без записи, и только потом загрузим.
import-step-file = Файл
import-file = Файл со списком покупателей
import-file-hint = Excel (.xlsx, .xls) или CSV в любой кодировке, до 25 МБ. Первая заполненная строка — названия столбцов.
import-known = Узнаём столбцы (и их обычные варианты из REGOS, 1С, UDS, Контур.Маркета):
import-template = Скачать шаблон (.xlsx) с нашими столбцами
import-template-file = шаблон-покупатели.xlsx
import-upload = Загрузить и проверить столбцы
import-error-no-file = Выберите файл.
import-error-too-large = Файл больше { $count } МБ: разбейте его на части.
import-error-kind = Загружаются только файлы .xlsx, .xls, .csv и .txt.
import-error-no-rows = В файле есть названия столбцов, но нет ни одной строки с покупателем.
import-error-empty = Файл пустой.
import-error-no-header = Нет строки с названиями столбцов: строка { $count } уже содержит данные. Первая заполненная строка должна называть столбцы (ФИО, Телефон, …).
import-error-csv = CSV-файл повреждён в строке { $count }: кавычка не закрыта.
import-error-xls = Это книга Excel 97–2003: дайте файлу расширение .xls или сохраните его в Excel как .xlsx.
import-error-encrypted = Книга защищена паролем: снимите пароль в Excel и сохраните заново.
import-error-not-xlsx = Это не книга Excel. Если это CSV, дайте файлу расширение .csv.
import-error-unreadable = Файл повреждён, прочитать его не удалось.
import-error-unknown-column = Такого поля нет.
import-error-column-twice = Это поле уже выбрано для другого столбца.
import-error-unknown-property = Такого свойства нет.
import-error-no-name-column = Ни один столбец не выбран как имя покупателя: укажите, где ФИО, фамилия или имя.
import-error-columns-mismatch = Столбцы файла изменились: загрузите файл заново.
import-error-failed = Загрузка прервалась из-за ошибки на нашей стороне; она записана в журнал. Попробуйте ещё раз.
import-columns-title = Столбцы файла
import-rows = { $count ->
    [one] { $count } строка
    [few] { $count } строки
   *[many] { $count } строк
}
import-columns-legend = Что в каком столбце
import-columns-hint = Мы сопоставили столбцы по названиям. Проверьте и поправьте; столбец с пометкой «не загружать» пропускается.
import-skip = — не загружать —
import-no-examples = В столбце нет значений.
import-examples = Например:
import-check = Пробный прогон
import-other-file = Загрузить другой файл
import-preview = Первые строки файла
import-yes = да
import-no = нет
import-column-name = ФИО
import-column-last-name = Фамилия
import-column-first-name = Имя
import-column-middle-name = Отчество
import-column-phone = Телефон
import-column-email = E-mail
import-column-gender = Пол
import-column-birth-date = Дата рождения
import-column-address = Адрес
import-column-region = Регион
import-column-city = Город
import-column-group = Группа покупателей
import-column-status = Статус
import-column-notes = Примечание
import-column-external-id = Внешний код
import-column-store-code = Код магазина
import-column-channel = Канал регистрации
import-column-blocked = Заблокирован
import-column-consent-general = Согласие на рассылку
import-column-consent-sms = Согласие на SMS
import-column-consent-email = Согласие на e-mail
import-column-consent-viber = Согласие на Viber
import-column-consent-push = Push-уведомления
import-column-consent-messenger = Согласие на мессенджеры
import-column-consent-paper-receipt-refusal = Отказ от бумажного чека
import-check-title = Пробный прогон
import-result-title = Результат загрузки
import-back-to-columns = Изменить столбцы
import-dry-run-done = Пробный прогон: в базе ничего не изменилось. Вот что произойдёт при загрузке.
import-done = Загрузка завершена.
import-figure-rows = Строк в файле
import-figure-to-create = Будет добавлено
import-figure-created = Добавлено
import-figure-to-update = Будет изменено
import-figure-updated = Изменено
import-figure-unchanged = Без изменений
import-figure-rejected = Отклонено
import-rejected-title = Отклонённые строки
import-rejected-row = Строка
import-rejected-reasons = Причины
import-rejected-more = { $count ->
    [one] И ещё { $count } строка — все есть в файле.
    [few] И ещё { $count } строки — все есть в файле.
   *[many] И ещё { $count } строк — все есть в файле.
}
import-rejected-download = Скачать отклонённые строки (.xlsx)
import-rejected-hint = В файле — исходные строки, их номера и причины. Исправьте их и загрузите файл снова.
import-rejected-file = отклонённые-строки.xlsx
import-now = Загрузить
import-to-customers = К покупателям
import-another = Загрузить ещё файл
import-checking = Проверяем строки…
import-importing = Загружаем покупателей…
import-progress-rows = Обработано строк:
import-refresh = Обновить страницу

## Customer page: certificate, merge, audit trail
customer-certificate-action = Выдать сертификат
customer-certificate-done = Сертификат выдан.
audit-who = Кто
audit-what = Что
audit-fields = Поля
audit-till = касса { $id }
actor-system = система
actor-demo = демонстрационные данные
actor-command_line = командная строка
actor-unsubscribe = покупатель по ссылке из письма
audit-customer-create = Зарегистрирован
audit-customer-update = Изменён
audit-customer-merge = Присоединён дубль
audit-customer-merged_into = Присоединён к другому покупателю
audit-customer-archive = В архиве
audit-customer-erase = Персональные данные удалены
audit-customer-unsubscribe = Отписался от рассылки
audit-customer-personal_data_export = Выгружены персональные данные
audit-points-adjust = Баллы вручную
audit-card-bind = Привязана карта
audit-card-issue = Выдана карта
audit-card-replace = Заменена карта
audit-certificate-issue = Выдан сертификат
audit-tier-set = Назначен уровень
merge-action = Объединить с дублем
merge-hint = Покупки, баллы и карты дубля перейдут к этому покупателю, сам дубль уйдёт в архив. Отменить нельзя.
merge-duplicate = Дубль: телефон, номер карты или номер покупателя, например №123
merge-confirm = Понимаю, что дубль уйдёт в архив
merge-submit = Объединить
merge-not-found = Такого покупателя нет, или под это подходят несколько: уточните.
merge-confirm-required = Подтвердите объединение.
merge-done = Дубль присоединён: его покупки, баллы и карты теперь здесь.

## Customers list: more filters
filter-store = Магазин регистрации
filter-channel = Канал регистрации
filter-consents = Согласия
filter-properties = Свойства
channel-console = Консоль
channel-pos = Касса
channel-web = Сайт
channel-app = Приложение
channel-api = API
channel-import = Загрузка
channel-partner = Партнёр

## customers list
filter-q = Поиск
column-balance = Баланс
column-spent = Потрачено
column-last-purchase = Последняя покупка
column-tier = Уровень
bulk-tick-all = Отметить всех на странице
filter-group-any = Любая
filter-segment-any = Любой
filter-status-any = Любой
filter-gender-any = Любой
filter-store-any = Любой
filter-channel-any = Любой
filter-age-min = от
filter-age-max = до
filter-birthday-from = с
filter-birthday-to = по
filter-created-from = с
filter-created-to = по
filter-spent = Потрачено, ₽
filter-spent-min = от
filter-spent-max = до
filter-purchases = Покупок
filter-purchases-min = от
filter-purchases-max = до
filter-last-purchase = Последняя покупка
filter-last-purchase-from = с
filter-last-purchase-to = по
filter-no-purchase-days = Нет покупок, дней
filter-balance = Баланс, баллов
filter-balance-min = от
filter-balance-max = до
filter-day = День
filter-month = Месяц
filter-consent-any = Не важно
filter-consent-given = Дано
filter-consent-not-given = Не дано
filter-property-any = Не важно
filter-yes = Да
filter-no = Нет
filter-refused = Фильтры не применены: исправьте отмеченное.
filter-error-money = Сумма в рублях, например 1 500 или 1500,50.
filter-error-points = Баллы, например 150 или -12,5.
filter-error-whole = Целое число, например 5.
filter-error-day-and-month = Выберите и день, и месяц.
filter-error-between = Целое число от { $min } до { $max }.
sort-default = Подходящие, потом новые
sort-name-desc = По имени, с конца
sort-created_at-desc = Сначала новые
sort-created_at-asc = Сначала старые
sort-spent_minor-desc = Больше потратили
sort-spent_minor-asc = Меньше потратили
sort-last_purchase_at-desc = Недавно покупали
sort-last_purchase_at-asc = Давно не покупали
error-invalid_month_day = Такого дня в году нет.
error-invalid_sort = Такой сортировки нет.
error-invalid_number = Число вне допустимых пределов.
error-invalid_id = Такой записи нет.
error-invalid_age = Возраст — целое число от 0 до 150.
error-invalid_bool = Выберите «да» или «нет».
error-invalid_time = Это не дата.
error-invalid_range = Начало больше конца.
error-unknown_property = Такого свойства нет.
error-unknown_filter = Такого фильтра нет.
error-unknown_consent = Такого согласия нет.
error-unknown_channel = Такого канала нет: эл. почта, SMS, Viber, push или мессенджер.
error-unknown_source = Такого источника сообщений нет.
error-unknown_state = Такого состояния сообщения нет.
error-invalid_limit = На странице от 1 до 500 строк.
error-invalid_cursor = Эта страница списка устарела: откройте список сначала.
## customer page
profile-title = Профиль
profile-age = { $count ->
    [one] { $count } год
    [few] { $count } года
   *[many] { $count } лет
}
profile-cards = Карты
profile-consents = Согласия
profile-no-consents = не давал
customer-created-done = Клиент зарегистрирован.
customer-saved-done = Изменения сохранены.
customer-merged-into = Объединён с
customer-merged-hint = Его покупки, баллы и карты теперь там; здесь ничего менять нельзя.
customer-merge-entry = объединение: { $from } → { $to }
note-text = Новая заметка
note-text-hint = До 2000 знаков. Её увидят все сотрудники, с вашим логином и временем.
note-submit = Добавить заметку
note-done = Заметка добавлена.
note-error-required = Напишите текст заметки.
note-error-note_too_long = Не длиннее 2000 знаков.
receipt-title = Чек { $number }
receipt-store = Магазин
receipt-till = Касса
receipt-to-pay = К оплате
receipt-lines = Позиции
receipt-returns = Возвраты по чеку
receipt-no-returns = Возвратов по чеку не было.
receipt-back = К покупателю
line-sku = Артикул
line-name = Товар
line-category = Категория
line-quantity = Количество
line-price = Цена
line-amount = Сумма
card-give = Выдать карту
card-give-free = Свободная карта группы
card-give-scanned = Отсканированная карта
card-give-group = Группа карт и программа
card-give-group-hint = Свободную карту возьмём из этой группы; новая отсканированная карта попадёт в неё же.
card-give-barcode = Номер карты
card-give-barcode-hint = Для отсканированной карты: свободную привяжем к покупателю, новую заведём.
card-give-symbology = Тип штрихкода
card-symbology-ean13 = EAN-13
card-symbology-code128 = Code 128
card-symbology-qr = QR-код
card-give-valid-from = Действует с
card-give-valid-to = Действует по
card-give-valid-to-hint = Пусто — бессрочно.
card-give-submit = Выдать
card-give-done = Карта выдана и активна.
card-give-no-groups = Сначала заведите группу карт в настройках программ.
card-give-error-no_group = Выберите группу карт.
error-unknown_reference-group_id = Такой группы карт нет.
error-no_free_card = В этой группе не осталось свободных карт.
error-required-barcode = Отсканируйте или введите номер карты.
error-invalid-barcode = Такого номера не бывает для этого типа штрихкода.
error-check_digit-barcode = Такого номера не бывает для этого типа штрихкода.
error-card_bound = Эта карта уже у другого покупателя.
error-card_theirs = Эта карта уже у этого покупателя.
error-card_withdrawn = Карта выведена из оборота.
error-card_blocked = Карта заблокирована.
error-before_start-valid_to = Конец срока должен быть позже начала.
error-unknown_op = Такого условия сравнения нет.
error-op_not_allowed = Это поле так не сравнивается.
error-period_not_allowed = Это поле не ограничивается периодом.
error-invalid_period = Период — целое число дней от 1 до 36 600.
error-goods_required = Укажите товары (артикулы) или категории.
error-goods_not_allowed = Это поле не принимает товары и категории.
error-empty_rule = Добавьте хотя бы одно условие.
error-too_deep = Слишком много вложенных групп условий.
error-unknown_key = Лишний параметр в условии.
error-invalid_rule = Условие записано неверно.
error-unknown_field = Такого поля нет.
error-empty_window = Время окончания должно отличаться от времени начала.
error-not_applicable = Для этого вида акции не применяется.
error-repeats = Значение повторяется.
error-unknown_segment = Такого сегмента нет.
audit-customer-note = Добавлена заметка
audit-field-note_id = заметка

## Segments: the list, a segment's page, the editor and its live count
segments-title = Сегменты
segments-new = Новый сегмент
segments-none = Сегментов пока нет.
segments-upload = Сегмент из файла
segment-upload-title = Сегмент из файла
segment-upload-intro = Загрузите список телефонов или номеров карт — получится статический сегмент из покупателей, которых он называет.
segment-upload-file = Файл со списком
segment-upload-file-hint = Текст или CSV — по телефону или номеру карты в строке; Excel — столбец «Телефон» или «Номер карты», а без такого заголовка первый столбец. До { $count } МБ.
segment-upload-submit = Создать сегмент
segment-upload-another = Загрузить ещё файл
segment-file-no-keys = В файле нет ни телефонов, ни номеров карт.
segment-uploaded = Сегмент «{ $name }» создан из файла.
segment-uploaded-lines = Строк в файле
segment-uploaded-named = Нашли покупателя
segment-uploaded-not-named = Не нашли
segment-uploaded-missed = Не нашли { $count ->
    [one] { $shown } строку
    [few] { $shown } строки
   *[many] { $shown } строк
} из { $lines }:
segment-uploaded-line = строка { $row }: { $text }
segment-uploaded-more = …и ещё { $shown }.
segment-uploaded-all = Каждая строка файла нашла покупателя.
segment-uploaded-open = Открыть сегмент
segment-name = Название
segment-kind = Вид
segment-kind-dynamic = динамический
segment-kind-static = статический
segment-kind-dynamic-hint = Состав пересчитывается по расписанию.
segment-kind-static-hint = Состав фиксируется один раз при сохранении.
segment-size = Размер
segment-computed = Пересчитан
segment-took-title = Пересчёт занял
segment-took = { $count } мс
segment-schedule = Расписание
segment-never-computed = Ещё не пересчитывался.
segment-schedule-said = Расписание: { $schedule }.
segment-schedule-none = Не пересчитывается
segment-schedule-hourly = Каждый час
segment-schedule-daily = Каждый день в { $hour }
segment-schedule-weekly = Каждую неделю { $day } в { $hour }
segment-on-weekday-1 = по понедельникам
segment-on-weekday-2 = по вторникам
segment-on-weekday-3 = по средам
segment-on-weekday-4 = по четвергам
segment-on-weekday-5 = по пятницам
segment-on-weekday-6 = по субботам
segment-on-weekday-7 = по воскресеньям
segment-created = Сегмент создан.
segment-saved = Сегмент сохранён.
segment-recomputed = Сегмент пересчитан.
segment-deleted = Сегмент удалён.
segment-no-figure = —
segment-share-base = Доля базы
segment-share-revenue = Доля выручки
segment-average-receipt = Средний чек
segment-last-recompute = Последний пересчёт { $time }: вошли { $entered }, вышли { $left }, занял { $took }.
segment-made = Составлен { $time }: { $entered ->
    [one] { $entered } покупатель
    [few] { $entered } покупателя
   *[many] { $entered } покупателей
}, занял { $took }.
segment-chart-size = Покупателей в сегменте
segment-edit = Изменить
segment-members = Покупатели сегмента
segment-export = Выгрузить в Excel
segment-recompute = Пересчитать
segment-static-fixed = Статический сегмент: состав зафиксирован при создании и не пересчитывается.
segment-rules = Условия
segment-no-rules = Составлен из списка покупателей, без условий.
segment-history = Размер по пересчётам
segment-history-table = Таблица пересчётов
segment-entered = Вошли
segment-left = Вышли
segment-used = Где используется
segment-used-none = Пока не используется ни в одной акции или рассылке.
segment-used-offer = Акция «{ $name }»
segment-in-use = Сегмент нельзя удалить, пока на него нацелены акции: сначала измените или удалите их.
segment-delete = Удалить сегмент
segment-delete-confirm = Удалить сегмент «{ $name }» вместе с историей его размера? Покупатели останутся в базе.
segment-delete-submit = Да, удалить
segment-new-title = Новый сегмент
segment-edit-title = Сегмент «{ $name }»
segment-section-main = Сегмент
segment-schedule-label = Когда пересчитывать
segment-every = Как часто
segment-every-hourly = ежечасно
segment-every-daily = ежедневно
segment-every-weekly = еженедельно
segment-weekday = День недели
segment-weekday-1 = понедельник
segment-weekday-2 = вторник
segment-weekday-3 = среда
segment-weekday-4 = четверг
segment-weekday-5 = пятница
segment-weekday-6 = суббота
segment-weekday-7 = воскресенье
segment-hour = Время
segment-static-no-schedule = Статический сегмент не пересчитывается: его состав фиксируется один раз при сохранении.
segment-static-kept = Состав статического сегмента зафиксирован, его условия не меняются. Здесь можно изменить название.
segment-api-only = Условия этого сегмента сложнее, чем умеет показать редактор, и меняются только через API. Здесь можно изменить название и расписание — условия останутся прежними.
segment-stale = Сегмент изменили, пока вы его правили. Откройте его заново и внесите изменения ещё раз.
segment-name-taken = Сегмент с таким названием уже есть.
segment-match-label = Покупатель подходит, если выполнены
segment-match-all = все условия
segment-match-any = любое из условий
segment-group-label = Группа:
segment-group-all = все условия группы
segment-group-any = любое из условий группы
segment-row = Условие { $count }
segment-field = Поле
segment-field-choose = Выберите поле
segment-op = Сравнение
segment-value = Значение
segment-from = от
segment-to = до
segment-period = за последние
segment-period-days = дней
segment-categories = Категории
segment-skus = Артикулы
segment-goods-hint = Через запятую; нужно указать категории, артикулы или то и другое.
segment-list-comma = Несколько значений — через запятую.
segment-list-semicolon = Несколько сумм — через точку с запятой.
segment-unit-money = ₽
segment-unit-points = баллов
segment-unit-units = шт.
segment-add = + условие
segment-add-group = + группа условий
segment-add-to-group = + условие в группу
segment-remove = Убрать
segment-remove-group = Убрать группу
segment-count = Подходит покупателей: { $count }
segment-count-waiting = Считаем, сколько покупателей подходит…
segment-count-empty = Выберите поле условия, и здесь появится, сколько покупателей подходит.
segment-count-refused = Исправьте условия, отмеченные выше, и число появится здесь.
segment-sample = Например:
segment-error-range = Введите целое число от { $min } до { $max }.
segment-error-pick = Отметьте хотя бы одно значение.
error-required-rules = Добавьте хотя бы одно условие.
segment-section-profile = Профиль
segment-section-consents = Согласия
segment-section-properties = Свойства
segment-section-loyalty = Лояльность
segment-section-history = История покупок
segment-section-rfm = RFM-анализ
segment-field-gender = Пол
segment-field-age = Возраст
segment-field-days_to_birthday = Дней до дня рождения
segment-field-group_id = Группа покупателей
segment-field-status = Статус
segment-field-tier_id = Уровень
segment-field-tier_since_days = Дней на текущем уровне
segment-field-store_id = Магазин регистрации
segment-field-channel = Канал регистрации
segment-field-created_days_ago = Дней с регистрации
segment-field-has_phone = Указан телефон
segment-field-has_email = Указан e-mail
segment-field-consent = Согласие: { $channel }
segment-field-balance_points = Баланс баллов
segment-field-points_expiring_within_days = Дней до сгорания баллов
segment-field-purchases_count = Число покупок
segment-field-spent_minor = Сумма покупок
segment-field-average_receipt_minor = Средний чек
segment-field-first_purchase_days_ago = Дней с первой покупки
segment-field-last_purchase_days_ago = Дней с последней покупки
segment-field-bought = Купил (штук)
segment-field-bought_minor = Купил на сумму
segment-field-stores_visited = Магазинов с покупками
segment-field-purchase_store_id = Покупал в магазине
segment-field-rfm_recency = Давность покупок (RFM, 1–5)
segment-field-rfm_frequency = Частота покупок (RFM, 1–5)
segment-field-rfm_monetary = Сумма покупок (RFM, 1–5)
segment-field-rfm_group = Группа RFM
segment-value-gender-female = женский
segment-value-gender-male = мужской
segment-value-status-active = активен
segment-value-status-incomplete = на контроле
segment-value-status-archived = в архиве
segment-value-rfm_group-champions = чемпионы
segment-value-rfm_group-loyal = лояльные
segment-value-rfm_group-potential_loyalists = потенциально лояльные
segment-value-rfm_group-new_customers = новички
segment-value-rfm_group-promising = перспективные
segment-value-rfm_group-need_attention = требуют внимания
segment-value-rfm_group-about_to_sleep = засыпающие
segment-value-rfm_group-at_risk = в зоне риска
segment-value-rfm_group-cannot_lose = нельзя потерять
segment-value-rfm_group-hibernating = в спячке
segment-value-rfm_group-lost = потерянные
segment-yes = да
segment-no = нет
segment-number = №{ $id }
segment-units = { $count } шт.
segment-quoted = «{ $text }»
segment-op-eq = равно
segment-op-ne = не равно
segment-op-lt = меньше
segment-op-lte = не больше
segment-op-gt = больше
segment-op-gte = не меньше
segment-op-between = от … до
segment-op-in = одно из
segment-op-exists = указано
segment-op-absent = не указано
segment-op-date-lt = раньше
segment-op-date-lte = не позже
segment-op-date-gt = позже
segment-op-date-gte = не раньше
segment-test-eq = — { $value }
segment-test-ne = — не { $value }
segment-test-lt = меньше { $value }
segment-test-lte = не больше { $value }
segment-test-gt = больше { $value }
segment-test-gte = не меньше { $value }
segment-test-between = от { $low } до { $high }
segment-test-in = — одно из: { $value }
segment-test-date-lt = раньше { $value }
segment-test-date-lte = не позже { $value }
segment-test-date-gt = позже { $value }
segment-test-date-gte = не раньше { $value }
segment-says-all = Покупатель подходит, если выполнены все условия:
segment-says-any = Покупатель подходит, если выполнено любое из условий:
segment-says-not = Покупатель подходит, если не выполняется:
segment-says-one = Покупатель подходит, если:
segment-says-group-all = все из:
segment-says-group-any = любое из:
segment-says-group-not = не выполняется:
segment-says = { $subject } { $test }{ $period }
segment-says-bought = Купил { $subject } { $test }{ $period }
segment-says-bought_minor = Купил { $subject } на сумму { $test }{ $period }
segment-says-known = { $field }: указано{ $period }
segment-says-unknown = { $field }: не указано{ $period }
segment-says-period = { $count ->
    [one] за последний { $count } день
    [few] за последние { $count } дня
   *[many] за последние { $count } дней
}
segment-goods-categories = { $count ->
    [one] товары категории { $names }
   *[other] товары категорий { $names }
}
segment-goods-skus = { $count ->
    [one] товар с артикулом { $names }
   *[other] товары с артикулами { $names }
}
segment-goods-either = { $categories } или { $skus }
bulk-segment = Сохранить как сегмент
bulk-segment-name = Название сегмента
bulk-segment-hint = Статический сегмент: в нём останутся отмеченные покупатели.
bulk-segment-submit = Сохранить сегмент
bulk-segment-forbidden = Сегменты этой роли не разрешены.
customers-export = Выгрузить список в Excel
customers-export-too-many = В списке больше строк, чем помещается на лист Excel. Сузьте фильтр.

## Offers: the list, an offer's page with its coupons, the form
offers-title = Предложения
offers-new = Новое предложение
offers-none = Предложений пока нет.
offer-name = Название
offer-audience = Для кого
offer-reward = Что даёт
offer-period = Срок
offer-state = Состояние
offer-priority = Приоритет
offer-stacking = Сочетание
offer-active = действует
offer-paused = на паузе
offer-audience-everyone = Все покупатели
offer-audience-segment = Сегмент «{ $name }»
offer-reward-extra_points = ×{ $times } баллов
offer-reward-bonus_points = { $count ->
    [one] { $points } балл
    [few] { $points } балла
   *[many] { $points } баллов
}
offer-reward-percent_off = { $rate } скидки
offer-reward-amount_off = { $amount } скидки
offer-target-categories = { $count ->
    [one] на категорию { $names }
   *[other] на категории { $names }
}
offer-target-skus = { $count ->
    [one] на товар с артикулом { $names }
   *[other] на товары с артикулами { $names }
}
offer-target-both = { $given } { $categories } и { $skus }
offer-period-both = { $from } — { $to }
offer-period-from = с { $from }
offer-period-to = по { $to }
offer-period-always = бессрочно
offer-stacking-stack = суммируется с другими
offer-stacking-exclusive = исключает другие на своих товарах
offer-stacking-best = только самое выгодное
offer-done-created = Предложение создано.
offer-done-saved = Предложение сохранено.
offer-done-paused = Предложение на паузе: на кассе оно не действует.
offer-done-resumed = Предложение снова действует.
offer-coupons-made = { $count ->
    [one] Создан { $shown } купон.
    [few] Создано { $shown } купона.
   *[many] Создано { $shown } купонов.
}
offer-says-audience = Для кого: { $who }.
offer-says-reward = Даёт: { $what }.
offer-says-when = Когда: { $when }.
offer-says-period-both = с { $from } по { $to }
offer-says-period-from = с { $from }
offer-says-period-to = по { $to }
offer-says-period-always = без срока
offer-says-days = по дням: { $days }
offer-says-hours = с { $from } до { $to }
offer-on-monday = понедельник
offer-on-tuesday = вторник
offer-on-wednesday = среда
offer-on-thursday = четверг
offer-on-friday = пятница
offer-on-saturday = суббота
offer-on-sunday = воскресенье
offer-says-everywhere = Где: во всех магазинах.
offer-says-stores = Где: { $names }.
offer-says-min-total = Если товары предложения в чеке стоят не меньше { $amount }.
offer-says-nth = На { $count }-ю покупку покупателя.
offer-says-every-nth = На каждую { $count }-ю покупку покупателя.
offer-says-no-coupon = Купон не нужен.
offer-says-unique = По одноразовому купону: каждый код действует один раз.
offer-says-shared = По общему коду { $code }.
offer-says-stacking = С другими предложениями: { $how }.
offer-says-priority = Приоритет: { $count }.
offer-says-budget-points = Баллов не больше: { $caps }.
offer-says-budget-money = Скидок не больше: { $caps }.
offer-says-holdout = Контрольная группа: { $share } аудитории не получают предложение — с ними сравнивают результат.
offer-cap-total = всего { $amount }
offer-cap-per_customer = одному покупателю { $amount }
offer-cap-per_day = в день { $amount }
offer-cap-per_month = в месяц { $amount }
offer-new-title = Новое предложение
offer-edit-title = Предложение «{ $name }»
offer-name-taken = Предложение с таким названием уже есть.
offer-stale = Предложение изменили, пока вы его правили. Откройте его заново и внесите изменения ещё раз.
offer-section-main = Предложение
offer-section-reward = Награда
offer-section-condition = Условия покупки
offer-section-when = Когда действует
offer-section-where = Где действует
offer-section-coupon = Купон
offer-section-combine = Сочетание с другими предложениями
offer-section-budget = Бюджет
offer-section-holdout = Контрольная группа
offer-field-name = Название
offer-field-audience = Для кого
offer-field-active = Действует сразу после сохранения
offer-field-reward = Вид награды
offer-field-reward-value = Размер
offer-kind-extra_points = Больше баллов (множитель)
offer-kind-bonus_points = Баллы за покупку
offer-kind-percent_off = Скидка в процентах
offer-kind-amount_off = Скидка в рублях
offer-unit-extra_points = × баллов программы
offer-unit-bonus_points = баллов
offer-unit-percent_off = %
offer-unit-amount_off = ₽
offer-hint-extra_points = Во сколько раз больше баллов, чем по программе: 2 — вдвое, 1,5 — в полтора раза.
offer-hint-bonus_points = Сколько баллов получит покупатель за чек, например 50 или 12,5.
offer-hint-percent_off = Процент скидки на товары предложения, например 10 или 2,5.
offer-hint-amount_off = Сумма скидки на чек в рублях, например 300 или 149,90.
offer-field-categories = Категории товаров
offer-field-skus = Артикулы
offer-hint-goods = Через запятую или с новой строки. Если не указать ни категорий, ни артикулов, предложение действует на весь чек.
offer-field-min-total = Сумма товаров предложения в чеке от
offer-hint-min-total = Пусто — без порога.
offer-field-nth = Какая по счёту покупка
offer-hint-nth = Например, 3 — третья покупка покупателя. Пусто — любая.
offer-field-every-nth = Каждая такая покупка (3-я, 6-я, 9-я…)
offer-field-valid-from = Первый день
offer-field-valid-to = Последний день
offer-field-days = Дни недели
offer-hint-days = Ничего не отмечено — каждый день.
offer-day-monday = пн
offer-day-tuesday = вт
offer-day-wednesday = ср
offer-day-thursday = чт
offer-day-friday = пт
offer-day-saturday = сб
offer-day-sunday = вс
offer-field-hours-from = С
offer-field-hours-to = До
offer-hint-hours = По времени кассы. Оба поля пустые — весь день; конец может быть после полуночи.
offer-field-stores = Магазины
offer-no-stores = Магазинов пока нет: предложение будет действовать везде.
offer-hint-stores = Ничего не отмечено — во всех магазинах. Отмеченный регион или сеть включает свои магазины.
offer-field-coupon = Нужен ли купон
offer-coupon-none = Не нужен
offer-coupon-shared = Один общий код
offer-coupon-unique = Одноразовые коды
offer-field-coupon-code = Общий код
offer-hint-coupon-code = От 4 до 32 латинских букв, цифр и «-», например VESNA-25.
offer-field-stacking = Как сочетается
offer-hint-stacking = «Суммируется» — добавляется к другим предложениям; «исключает» — на его товарах другие не действуют; «самое выгодное» — из таких предложений действует одно, выгоднее всего для покупателя.
offer-field-priority = Приоритет
offer-hint-priority = Предложения с большим приоритетом применяются первыми.
offer-hint-budget = Пусто — без ограничения.
offer-field-budget-points = Баллов не больше
offer-field-budget-money = Скидок не больше
offer-field-cap-total = Всего
offer-field-cap-per_customer = Одному покупателю
offer-field-cap-per_day = В день
offer-field-cap-per_month = В месяц
offer-unit-points = баллов
offer-unit-money = ₽
offer-unit-percent = %
offer-field-holdout = Не получают предложение
offer-hint-holdout = Доля аудитории от 0 до 50 %: с ней сравнивают, что дало предложение. С купоном не выделяется.
offer-error-pick = Выберите из списка.
offer-error-times = Множитель — число, например 2 или 1,5.
offer-error-priority = Целое число, например 10 или -5.
offer-error-cap = Больше нуля.
offer-error-count = Введите целое число от 1 до 100 000.
offer-error-hours_from-invalid_time = Время в виде ЧЧ:ММ.
offer-error-hours_to-invalid_time = Время в виде ЧЧ:ММ.
offer-error-hours_from-required = Укажите и начало, и конец — или оставьте оба поля пустыми.
offer-error-hours_to-required = Укажите и начало, и конец — или оставьте оба поля пустыми.
offer-error-reward-invalid_value = Выберите вид награды.
offer-error-reward_value-extra_points = Множитель — больше 1 и не больше 10.
offer-error-reward_value-bonus_points = От 0,01 до 1 000 000 баллов.
offer-error-reward_value-percent_off = От 0,01 до 100 %.
offer-error-reward_value-amount_off = Сумма — больше нуля.
offer-error-priority-out_of_range = Приоритет — от -1 000 000 до 1 000 000.
offer-error-skus-invalid_value = Каждый артикул — не длиннее 200 знаков.
offer-error-categories-invalid_value = Каждая категория — не длиннее 200 знаков.
offer-error-skus-too_many = Не больше 1000 артикулов.
offer-error-categories-too_many = Не больше 1000 категорий.
offer-error-store_ids-too_many = Не больше 1000 магазинов.
offer-error-min_total_minor-out_of_range = Сумма — больше нуля.
offer-error-nth_purchase-out_of_range = Целое число от 1 до 10 000.
offer-error-every_nth-not_applicable = Укажите, какая по счёту покупка.
offer-error-coupon_code-required = Укажите общий код.
offer-error-coupon_code-invalid_code = Код — от 4 до 32 латинских букв, цифр и «-».
offer-error-coupon_code-not_applicable = Код указывается только для общего купона.
offer-error-holdout_bp-out_of_range = От 0 до 50 %.
offer-error-holdout_bp-not_applicable = С купоном контрольная группа не выделяется: купон уже обещал награду.
offer-error-budget_points-not_applicable = Это предложение не начисляет баллы: лимит баллов ему не нужен.
offer-error-budget_money-not_applicable = Это предложение не даёт скидку: лимит скидок ему не нужен.
offer-edit = Изменить
offer-terms = Условия предложения
offer-pause = Поставить на паузу
offer-pause-hint = На паузе предложение сохраняется, но на кассе не действует.
offer-resume = Возобновить
offer-coupons = Купоны
offer-coupons-none = Купон не нужен: предложение действует без кода.
offer-shared-code = Общий код для всех покупателей:
offer-coupons-count = Создать кодов
offer-coupons-make = Создать
offer-coupons-count-hint = От 1 до 100 000 за раз. Каждый код действует один раз.
offer-coupons-not-unique = Это предложение не использует одноразовые купоны.
offer-codes-none = Кодов пока нет.
offer-codes-print = Распечатать коды
offer-codes-xlsx = Скачать все коды в Excel
offer-code = Код
offer-issued-to = Кому выдан
offer-issued-to-number = Покупатель (№)
offer-issued-contact = Телефон или карта
offer-issued-at = Создан
offer-handed-out = для раздачи
offer-codes-first = ← К началу
offer-codes-next = Следующие коды →
offer-customer-number = Покупатель №{ $id }
offer-codes-too-many = Кодов больше, чем помещается на лист Excel.
offer-codes-file = Купоны — { $name }
offer-print-heading = Кодов на странице: { $count }
offer-print-back = ← К предложению
offer-print-now = Печать
offer-print-next = Следующая тысяча кодов →
offer-results = Эффект предложения
offer-results-hint = Покупатели аудитории, получившие предложение, и контрольная группа, которая его не получала, за период
offer-results-offered = Получили
offer-results-control = Контрольная группа
offer-results-customers = Покупателей
offer-results-buyers = Из них покупали
offer-results-receipts = Чеков
offer-results-revenue = Выручка
offer-results-average = Средний чек
offer-results-per-customer = Выручка на покупателя

# The customer's public page of unsubscribing (no sign-in).
unsubscribe-title = Отписка от рассылки
unsubscribe-ask = Больше не получать от нас { $channel }? Баллы и карта останутся при вас.
unsubscribe-submit = Отписаться
unsubscribe-done-title = Вы отписались
unsubscribe-done = Мы больше не будем присылать вам { $channel } с предложениями. Баллы и карта остаются при вас.
unsubscribe-unknown = Ссылка неверна или устарела. Если письма продолжают приходить, ответьте на одно из них.
unsubscribe-channel-email = письма по электронной почте
unsubscribe-channel-sms = SMS
unsubscribe-channel-viber = сообщения в Viber
unsubscribe-channel-push = push-уведомления
unsubscribe-channel-messenger = сообщения в мессенджере

# The outbox (/messages).
nav-messages = Сообщения
messages-title = Сообщения покупателям
messages-silent = Письма не уходят: почтовый сервер для них не задан в настройках Clientele. Сообщения ждут в очереди, пока не истечёт их срок.
messages-customer-id = Номер покупателя
messages-customer-invalid = Номер покупателя — это число, например 1024.
messages-choice-invalid = Выберите значение из списка.
messages-any-state = Любое
messages-any-reason = Любая
messages-find = Найти
messages-none = Сообщений с такими условиями нет.
messages-when = Когда
messages-customer = Покупатель
messages-customer-number = Покупатель № { $id }
messages-source = Откуда
messages-channel = Канал
messages-state = Состояние
messages-reason = Причина
messages-text = Текст
messages-older = Более ранние сообщения
message-server-answer = Ответ сервера: «{ $answer }».
message-source-manual = Начисление вручную
message-source-birthday = Поздравление с днём рождения
message-source-campaign = Рассылка
message-source-trigger = Автоматическая рассылка
message-source-chat = Ответ в чате
message-source-receipt = Чек
message-source-code = Код подтверждения
message-channel-email = Эл. почта
message-channel-sms = SMS
message-channel-viber = Viber
message-channel-push = Push
message-channel-messenger = Мессенджер
message-state-queued = В очереди
message-state-held = Ждёт дневного времени
message-state-capped = Сверх лимита
message-state-no_consent = Нет согласия
message-state-no_contact = Нет контакта
message-state-expired = Истёк срок
message-state-sending = Отправляется
message-state-sent = Отправлено
message-state-delivered = Доставлено
message-state-failed = Не отправлено
message-state-cancelled = Отменено
message-reason-quiet_hours = Ночью рекламу не шлём: уйдёт утром по времени покупателя.
message-reason-daily_cap = Покупатель уже получил сегодня все рекламные сообщения, что ему можно.
message-reason-weekly_cap = Покупатель уже получил на этой неделе все рекламные сообщения, что ему можно.
message-reason-consent_not_given = Покупатель не давал согласия на рассылку по этим каналам.
message-reason-consent_withdrawn = Покупатель отозвал согласие на рассылку.
message-reason-no_address = У покупателя нет адреса для этих каналов.
message-reason-lifetime_passed = Срок сообщения истёк до отправки.
message-reason-quiet_hours_outlast_lifetime = Срок сообщения истёк бы до утра покупателя.
message-reason-retrying = Сервер временно не принял сообщение, попробуем ещё раз.
message-reason-refused = Сервер отказался принять сообщение.
message-reason-tries_spent = Все попытки отправить не удались.
message-reason-no_channel_set_up = Ни один из каналов сообщения не настроен.
message-reason-interrupted = Отправку прервала остановка сервера; повторно не отправляется.
message-reason-customer_erased = Данные покупателя удалены по его просьбе.
message-reason-before_outbox = Записано до того, как сообщения стали отправляться.
