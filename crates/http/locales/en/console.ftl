# The console's words in English.

app-name = Clientele
lang-switch = Русский
lang-switch-code = ru
skip-to-content = Skip to content

## Navigation
nav-home = Home
nav-customers = Customers
nav-birthdays = Birthdays
nav-segments = Segments
nav-reports = Reports
nav-import = Import
nav-settings = Settings
sign-out = Sign out

## Sign-in
sign-in-title = Sign in
sign-in-login = Login
sign-in-password = Password
sign-in-submit = Sign in
sign-in-wrong = The login or the password is wrong.
sign-in-locked = Too many failed attempts. Try again in { $minutes } min.
sign-in-expired = Your session is over. Sign in again and you will be back on the same page.

## Refusals
forbidden-title = No access
forbidden-text = Your role «{ $role }» cannot open this part. Ask your administrator.
not-found-title = Not found
not-found-text = There is no such page.
error-title = Something went wrong
back-home = Home

## Home
home-title = Home
home-customers = Customers
home-active-30 = Active in 30 days
home-receipts-today = Receipts today
home-revenue-today = Revenue today
home-points-owed = Points outstanding (liability)

## Customers list
customers-title = Customers
customers-search = Search
customers-search-hint = Name, phone or part of it, e-mail, card number
customers-search-submit = Search
customers-filters = Filters
customers-apply = Apply
customers-reset = Reset
customers-found = { $count ->
    [one] { $count } customer found
   *[other] { $count } customers found
}
customers-none = Nobody found. Change the search or the filters.
customers-next = Next
customers-first = First page
customers-new = New customer
column-name = Name
column-phone = Phone
column-email = E-mail
column-birth-date = Date of birth
column-created = Registered
column-group = Group
column-status = Status
filter-gender = Gender
filter-any = Any
gender-female = Female
gender-male = Male
filter-status = Status
status-active = Active
status-archived = Archived
filter-age = Age
filter-age-from = from
filter-age-to = to
filter-birthday = Birthday
filter-created = Registered
filter-favourite = Favourites only
filter-group = Group
sort-by = Sort
sort-created-desc = Newest first
sort-created-asc = Oldest first
sort-name-asc = By name
blocked = Blocked

## Customer page
customer-spent = Spent
customer-purchases = Purchases
customer-average = Average receipt
customer-last-purchase = Last purchase
customer-balance = Balance
customer-next-expiry = Next expiry
customer-tier = Tier
customer-no-tier = none
customer-never = none yet
tab-purchases = Purchases
tab-returns = Returns
tab-points = Points
tab-cards = Cards
tab-certificates = Certificates
tab-referrals = Referrals
tab-consents = Consents
tab-notes = Notes
tab-audit = Audit trail
points-count = { $count ->
    [one] { $count } point
   *[other] { $count } points
}
purchases-count = { $count ->
    [one] { $count } purchase
   *[other] { $count } purchases
}
receipt-number = Receipt
receipt-date = Date
receipt-total = Total
receipt-discount = Discount
receipt-paid-points = Paid with points
receipt-accrued = Accrued
entry-kind = Entry
entry-points = Points
entry-comment = Comment
kind-accrual = Accrual for a purchase
kind-payment = Payment with points
kind-manual = By hand
kind-birthday = Birthday
kind-referral = Referral
kind-expiry = Expiry
kind-return_reversal = Return: accrual taken back
kind-return_refund = Return: points given back
kind-merge = Merge
kind-opening_balance = Opening balance
card-barcode = Card number
card-state = State
card-active = Active
card-withdrawn = Withdrawn
certificate-code = Code
certificate-balance = Balance
certificate-valid-to = Valid to
consent-channel = Channel
consent-given = Consent
consent-yes = given
consent-no = no
nothing-yet = Nothing yet.

## Months
month-1 = Jan
month-2 = Feb
month-3 = Mar
month-4 = Apr
month-5 = May
month-6 = Jun
month-7 = Jul
month-8 = Aug
month-9 = Sep
month-10 = Oct
month-11 = Nov
month-12 = Dec

## Consent channels
consent-general = Data processing and messages
consent-sms = SMS
consent-email = E-mail
consent-viber = Viber
consent-push = Push notifications
consent-messenger = Messengers
consent-paper_receipt_refusal = No paper receipt

## Settings
settings-title = Settings
settings-groups = Customer groups
settings-stores = Stores
settings-properties = Custom properties
settings-cards = Card groups and print runs
settings-programs = Programs and tiers
settings-certificates = Certificate templates
settings-staff = Staff and roles
settings-tills = Till keys

## Customer form
customer-edit = Edit details
form-required = required
form-step-contacts = 1. Contacts
form-step-about = 2. About the customer
form-step-group = 3. Group and store
form-step-consents = 4. Consents
form-step-more = 5. More
field-name = Name
field-name-hint = How to address the customer: a first name, a surname if you like.
field-phone = Phone
field-phone-hint = Any form: 8 912 345-67-89, +7 (912) 3456789.
field-email = E-mail
field-gender = Gender
field-birth-date = Date of birth
field-birth-date-hint = For birthday wishes and birthday points.
field-city = City
field-address = Address
field-group = Group
field-store = Store of registration
field-store-none = Not given
field-notes = Notes
field-consents-hint = Tick only the channels the customer agreed to.
form-save = Save
form-cancel = Cancel
form-has-errors = Check the fields marked below.
error-required = Fill in this field.
error-invalid_phone = This does not look like a phone number.
error-invalid_email = This does not look like an e-mail address.
error-invalid_date = A date as YYYY-MM-DD.
error-implausible_date = No one was born on such a date.
error-too_long = Too long.
error-invalid_value = Not an allowed value.
error-unknown_reference = There is no such record.
error-taken = This value is already taken.
error-taken-by = Customer no. { $id } already has it.

## Points by hand
points-action = Give or write off points
points-accrue = Give
points-write_off = Write off
points-amount = Points
points-comment = Reason
points-message = Message to the customer
points-message-hint = Sent to the customer by their channels.
points-password = Your password
points-submit = Apply
points-done = The points are applied.
points-invalid = A number of points above zero, such as 150 or 12.5.
points-wrong-password = The password is wrong.
points-not-enough = The customer has fewer points; nothing was written off.

## Cards
card-replace = Replace the card
card-new-barcode = New card number
card-new-barcode-hint = Scan the new card, or leave it empty to issue the group's next number.
card-reason = Why it is replaced
card-replaced = The card is replaced; the old one is withdrawn.
card-barcode-taken = A card with this number already exists.

## Birthdays
birthdays-previous = Earlier
birthdays-next = Later
birthdays-pick = Pick a day to see whose birthday it is.
birthdays-none = Nobody was born on this day.
birthdays-turns = Turns
birthdays-count = { $count ->
    [one] { $count } birthday
   *[other] { $count } birthdays
}
birthdays-action = Points and wishes to everyone born on this day
birthdays-points-done = The points are given; the wishes wait to be sent.
birthdays-nobody = Nobody has a birthday on this day.
month-name-1 = January
month-name-2 = February
month-name-3 = March
month-name-4 = April
month-name-5 = May
month-name-6 = June
month-name-7 = July
month-name-8 = August
month-name-9 = September
month-name-10 = October
month-name-11 = November
month-name-12 = December
weekday-1 = Mon
weekday-2 = Tue
weekday-3 = Wed
weekday-4 = Thu
weekday-5 = Fri
weekday-6 = Sat
weekday-7 = Sun
customers-found-more = More than { $count } customers found

## Bulk actions on ticked customers
bulk-tick = Tick
bulk-title = With the ticked customers
bulk-certificate = Issue each a certificate
bulk-issue = Issue
bulk-no-templates = No certificate templates yet: make them in the settings.
bulk-none-ticked = Tick customers in the list.
bulk-no-template = Choose a certificate template.
bulk-refused = Nothing was done: check what was chosen.
bulk-certificates-done = { $count ->
    [one] { $count } certificate issued
   *[other] { $count } certificates issued
}

## Blocking
customer-block = Block
customer-unblock = Unblock
customer-block-reason = Why the customer is blocked
customer-blocked-done = The customer is blocked: the till will refuse their card.
customer-unblocked-done = The customer is unblocked.

## Tier by hand
customer-tier-action = Set the tier
customer-tier-until = Until which day
customer-tier-until-hint = Empty: for good. A purchase reaching a higher tier still raises it.
customer-tier-done = The tier is set.

## Import
import-title = Import customers from a file
import-intro = Upload a customer list from Excel or CSV: first we check the columns, then do a dry run that writes nothing, and only then import.
import-step-file = File
import-file = Customer list file
import-file-hint = Excel (.xlsx, .xls) or CSV in any encoding, up to 25 MB. The first filled row names the columns.
import-known = Columns we recognise (and their usual variants from REGOS, 1C, UDS, Kontur.Market):
import-template = Download a template (.xlsx) with our columns
import-template-file = customers-template.xlsx
import-upload = Upload and check the columns
import-error-no-file = Choose a file.
import-error-too-large = The file is larger than { $count } MB: split it into parts.
import-error-kind = Only .xlsx, .xls, .csv and .txt files can be imported.
import-error-no-rows = The file names its columns but holds no customer rows.
import-error-empty = The file is empty.
import-error-no-header = No header row: row { $count } already holds data. The first filled row must name the columns (Name, Phone, …).
import-error-csv = The CSV file is broken at row { $count }: a quote is never closed.
import-error-xls = This is an Excel 97–2003 workbook: give the file the .xls extension, or save it as .xlsx in Excel.
import-error-encrypted = The workbook is password-protected: remove the password in Excel and save it again.
import-error-not-xlsx = This is not an Excel workbook. If it is a CSV file, give it the .csv extension.
import-error-unreadable = The file is damaged and could not be read.
import-error-unknown-column = There is no such field.
import-error-column-twice = This field is already chosen for another column.
import-error-unknown-property = There is no such property.
import-error-no-name-column = No column is chosen as the customer's name: say which holds the full name, the last name or the first name.
import-error-columns-mismatch = The file's columns changed: upload it again.
import-error-failed = The import stopped on an error on our side; it has been logged. Please try again.
import-columns-title = The file's columns
import-rows = { $count ->
    [one] { $count } row
   *[other] { $count } rows
}
import-columns-legend = What each column holds
import-columns-hint = We matched the columns by their names. Check and fix them; a column marked “do not import” is skipped.
import-skip = — do not import —
import-no-examples = The column holds no values.
import-examples = For example:
import-check = Dry run
import-other-file = Upload another file
import-preview = The file's first rows
import-yes = yes
import-no = no
import-column-name = Name
import-column-last-name = Last name
import-column-first-name = First name
import-column-middle-name = Middle name
import-column-phone = Phone
import-column-email = E-mail
import-column-gender = Gender
import-column-birth-date = Birth date
import-column-address = Address
import-column-region = Region
import-column-city = City
import-column-group = Customer group
import-column-status = Status
import-column-notes = Notes
import-column-external-id = External id
import-column-store-code = Store code
import-column-channel = Channel
import-column-blocked = Blocked
import-column-consent-general = Marketing consent
import-column-consent-sms = SMS consent
import-column-consent-email = Email consent
import-column-consent-viber = Viber
import-column-consent-push = Push
import-column-consent-messenger = Messenger
import-column-consent-paper-receipt-refusal = Paper receipt refusal
import-check-title = Dry run
import-result-title = Import result
import-back-to-columns = Change the columns
import-dry-run-done = Dry run: nothing in the database changed. This is what the import will do.
import-done = The import is finished.
import-figure-rows = Rows in the file
import-figure-to-create = To add
import-figure-created = Added
import-figure-to-update = To change
import-figure-updated = Changed
import-figure-unchanged = Unchanged
import-figure-rejected = Rejected
import-rejected-title = Rejected rows
import-rejected-row = Row
import-rejected-reasons = Reasons
import-rejected-more = { $count ->
    [one] And { $count } more row — the file has them all.
   *[other] And { $count } more rows — the file has them all.
}
import-rejected-download = Download the rejected rows (.xlsx)
import-rejected-hint = The file holds the original rows, their numbers and the reasons. Fix them and upload the file again.
import-rejected-file = rejected-rows.xlsx
import-now = Import
import-to-customers = To the customers
import-another = Import another file
import-checking = Checking the rows…
import-importing = Importing the customers…
import-progress-rows = Rows done:
import-refresh = Refresh the page
