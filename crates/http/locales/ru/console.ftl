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

## Home
home-title = Главная
home-customers = Покупатели
home-active-30 = Активны за 30 дней
home-receipts-today = Чеков сегодня
home-revenue-today = Выручка сегодня
home-points-owed = Баллы к оплате (обязательство)

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
column-created = Зарегистрирован
column-group = Группа
column-status = Статус
filter-gender = Пол
filter-any = Любой
gender-female = Женский
gender-male = Мужской
filter-status = Статус
status-active = Активен
status-archived = В архиве
filter-age = Возраст
filter-age-from = от
filter-age-to = до
filter-birthday = День рождения
filter-created = Зарегистрирован
filter-favourite = Только избранные
filter-group = Группа
sort-by = Сортировка
sort-created-desc = Сначала новые
sort-created-asc = Сначала старые
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
