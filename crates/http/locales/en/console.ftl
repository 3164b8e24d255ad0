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
error-text = We have noted what happened and will look into it. Try again a little later.
bad-request-title = The request could not be read
bad-request-text = Something is wrong with the address or the form. Go back and try again.
conflict-title = It did not work
list-cursor-stale = This page of the list is out of date. Start from the first page.

## Home
home-title = Home
home-customers = Customers
home-active-30 = Active in 30 days
home-receipts-today = Receipts today
home-revenue-today = Revenue today
home-points-owed = Points outstanding (liability)
home-as-of = As of { $time }, counted again every minute
home-chart-title = Sales over 90 days
home-chart-receipts = Receipts
home-chart-revenue = Revenue, ₽
home-chart-table = Day by day
home-day = Day
home-refunds = Refunds

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
gender-female = Female
gender-male = Male
filter-status = Status
status-active = Active
status-incomplete = Incomplete
status-archived = Archived
filter-age = Age
filter-birthday = Birthday
filter-created = Registered
filter-favourite = Favourites only
filter-group = Group
filter-segment = Segment
sort-by = Sort
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
error-repeated = The same as a row above in this file.

## errors by the code a use case gave
error-already_merged = This customer was already merged into another.
error-balance_without_owner = A card without an owner cannot carry points: add the owner's phone.
error-before_start = The end comes before the start.
error-before_valid_from = The card would be valid to a day before it is valid from.
error-blank_card = The card is not issued yet: name its owner.
error-choice_in_use = Customers have this choice; it cannot be removed.
error-column_twice = Another column is read as this field already.
error-columns_mismatch = The file's columns do not match the mapping.
error-duplicate = Two tiers cannot start at the same spend.
error-expired = These points have expired.
error-in_past = Give a time in the future.
error-check_digit = The check digit is wrong.
error-invalid = Not a valid value.
error-invalid_code = A code is 1 to 32 latin letters, digits, «-», «_» or «.».
error-invalid_gender = Gender is «m» or «f».
error-invalid_kind = Not a valid kind.
error-invalid_login = A login is 2 to 64 latin letters, digits, «.», «_», «-» or «@».
error-invalid_name = Not a valid name.
error-invalid_parent = It cannot sit under that node.
error-negative = Cannot be below zero.
error-no_name_column = No column holds the customer's name (e.g. «Name», «ФИО»).
error-no_stores = Demo receipts need a store.
error-not_allowed = Not allowed here.
error-not_positive = Must be above zero.
error-out_of_range = Out of the allowed range.
error-password_has_login = A password may not contain the login.
error-password_too_short = The password is too short.
error-rounded = A spreadsheet rounded this number into scientific notation and lost its last digits: save the column as text.
error-rounded_phone = A spreadsheet rounded this phone into scientific notation and lost its last digits: save the column as text.
error-same_customer = A customer cannot be merged with themselves.
error-self_referral = A customer cannot refer themselves.
error-too_large = Too large.
error-too_many = Too many.
error-too_precise = At most three decimals.
error-unknown_customer = There is no such customer.
error-unknown_group = There is no such group.
error-unknown_module = There is no such module.
error-unknown_right = There is no such right.
error-unknown_role = There is no such role.
error-unknown_store = There is no such store.
error-unreadable = The file could not be read.
error-ambiguous = Name the customer one way: card, phone or id.
error-card_refused = The card is not issued yet: send the customer's phone with it.
error-in_future = The sale's time is ahead of now.
error-no_points = Points pay only a receipt of a bonus program's member.
error-other_store = The till belongs to another store.
error-refused = Refused.
error-too_many_points = There are not that many points.
error-unknown = Not found.
error-customer_required = Name the customer first.
error-not_running = This offer is not running now.
error-one_of = Give one of them, not both.
error-unknown_parameter = Unknown parameter.
error-note_too_long = A note is at most 2000 characters.
error-out_of_range-valid_days = From 1 to 3660 days.
error-out_of_range-face_value_minor = The face value must be above zero.
error-out_of_range-points = A number of points, not zero and within the limit.
error-out_of_range-count = Too many at once.
error-out_of_range-customer_ids = Too many customers at once.
error-password_too_short-password = A password has at least 10 characters.


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
bulk-template = Template
bulk-points = Give or take points, to each
bulk-points-submit = Apply points
bulk-points-forbidden = This role may not give points by hand.
bulk-points-done = { $count ->
    [one] Points applied to { $count } customer
   *[other] Points applied to { $count } customers
}
bulk-tier = Set a tier
bulk-tier-submit = Set
bulk-tier-done = { $count ->
    [one] Tier set for { $count } customer
   *[other] Tier set for { $count } customers
}
bulk-group = Move to a group
bulk-group-choose = Group
bulk-group-submit = Move
bulk-group-done = { $count ->
    [one] { $count } customer moved to the group
   *[other] { $count } customers moved to the group
}
bulk-export = Export the ticked to Excel
bulk-export-failed = The file could not be made; try again.
favourite = Favourite
favourite-add = Add to favourites
favourite-remove = Remove from favourites
quick-title = At a glance
quick-open = Open their page

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

## Settings pages: groups, stores, properties, staff and roles, till keys
settings-back = Back to the list
settings-actions = Actions
settings-edit = Edit
settings-delete = Delete
settings-done-created = Created.
settings-done-saved = Saved.
settings-done-deleted = Deleted.
settings-done-role-created = Role created.
settings-role-edit = Edit the role
settings-done-role-updated = Role changed.
error-built_in_role = A built-in role keeps its rights: make a role of your own.
settings-done-rotated = The till's key was replaced.
settings-done-revoked = Till revoked: its key no longer works.
settings-error-last-owner = This is the last active owner: make another owner first.
settings-error-invalid_code = A code is 1 to 32 characters: latin letters, digits, «-», «_» and «.».
settings-error-invalid_kind = Choose a kind from the list.
settings-error-invalid_parent = It cannot go there: only a wider node may hold it (region → city → district → store).
settings-error-invalid_name = A name is 1 to 48 characters: lowercase latin letters, digits and «_», starting with a letter.
settings-error-not_allowed = Only a choice property has choices.
settings-error-choice_in_use = Choices can be added, not removed: they may be in use.
settings-error-invalid_login = A login is 2 to 64 characters: latin letters, digits, «.», «_», «-» or «@».
settings-error-password_too_short = A password has at least 10 characters.
settings-error-password_has_login = A password may not contain the login.
settings-error-unknown_role = Choose a role from the list.
settings-error-unknown_store = There is no store with that code.
settings-group-name = Group name
settings-group-new = New group
settings-group-edit = Customer group
settings-group-make-default = Default group
settings-group-make-default-hint = New customers land here when no group is given.
settings-group-default = default
settings-group-customers = Customers
settings-group-open-customers = Open the list
settings-group-in-use = Only an empty group that is not the default can be deleted.
settings-stores-none = No stores yet.
settings-store-new = New node
settings-store-edit = Node { $code }
settings-store-code = Code
settings-store-code-hint = What tills, imports and reports know the node by, e.g. MSK-01.
settings-store-name = Name
settings-store-kind = Kind
settings-store-kind-region = Region
settings-store-kind-city = City
settings-store-kind-district = District
settings-store-kind-store = Store
settings-store-parent = Part of
settings-store-parent-hint = The region, city or district above it; a region has none.
settings-store-no-parent = — top level —
settings-store-address = Address
settings-store-add-below = Add inside
settings-properties-none = No properties yet.
settings-property-new = New property
settings-property-edit = Property «{ $name }»
settings-property-name = System name
settings-property-name-hint = In latin letters, e.g. vision: filters and imports use it (property_vision).
settings-property-label = Label
settings-property-label-hint = What staff see, e.g. «Vision».
settings-property-kind = Type
settings-property-kind-string = Text
settings-property-kind-number = Number
settings-property-kind-date = Date
settings-property-kind-bool = Yes or no
settings-property-kind-choice = Choice from a list
settings-property-choices = Choices
settings-property-choices-hint = For a choice only: one choice a line.
settings-property-choices-kept = One a line. New ones may be added; the ones there cannot be removed.
settings-staff-new = New staff user
settings-staff-edit = Staff user { $login }
settings-staff-login = Login
settings-staff-login-hint = Latin letters, 2 to 64 characters; the user signs in to the console with it.
settings-staff-name = Name
settings-staff-role = Role
settings-staff-choose-role = — choose a role —
settings-staff-password = Password
settings-staff-password-hint = At least 10 characters, without the login in it.
settings-staff-new-password = New password
settings-staff-new-password-hint = Empty: the password stays.
settings-staff-stores = Stores
settings-staff-stores-hint = Codes of regions, cities or stores, separated by commas: the user sees only their customers. Empty: all.
settings-staff-all-stores = all
settings-staff-state = State
settings-staff-is-active = active
settings-staff-active = May sign in
settings-staff-active-hint = Untick to block the user and every token of theirs.
settings-roles = Roles
settings-role-new = New role
settings-role-name = Role name
settings-role-built-in = built in
settings-role-nothing = no rights
settings-role-permissions = Rights by module
settings-role-permissions-hint = Edit includes view. A module without ticks is closed.
settings-role-module = Module
settings-right-view = view
settings-right-edit = edit
role-owner = Owner
role-marketer = Marketer
role-manager = Manager
role-registration_desk = Registration desk
role-support = Support
role-cashier = Cashier

## product categories a till sends, by code
category-alcohol = Alcohol
category-bakery = Bakery
category-dairy = Dairy
category-drinks = Drinks
category-grocery = Grocery
category-household = Household
category-meat = Meat
category-pets = Pets
category-produce = Produce
category-sweets = Sweets
category-tobacco = Tobacco

## fields an audit entry names
audit-field-name = name
audit-field-phone = phone
audit-field-email = e-mail
audit-field-birth_date = birth date
audit-field-address = address
audit-field-documents = documents
audit-field-gender = gender
audit-field-region = region
audit-field-city = city
audit-field-group_id = group
audit-field-status = status
audit-field-blocked = blocked
audit-field-blocked_reason = reason for blocking
audit-field-notes = notes
audit-field-referrer_id = referred by
audit-field-channel = registration channel
audit-field-store_id = registration store
audit-field-external_id = external id
audit-field-consents = consents
audit-field-properties = properties
audit-field-template_id = template
audit-field-face_value_minor = face value
audit-field-merged_into = merged into
audit-field-card = card
audit-field-reason = reason
audit-field-tier_id = tier
audit-field-balance_minor = balance
audit-field-valid_to = valid to
audit-field-code = code

settings-module-customers = Customers
settings-module-programs = Cards and programs
settings-module-points = Points by hand
settings-module-segments = Segments
settings-module-campaigns = Campaigns
settings-module-reports = Reports
settings-module-settings = Settings
settings-module-staff = Staff and tills
settings-module-pos = Till
settings-tills-none = No tills yet.
settings-till-new = New till
settings-till-name = Till
settings-till-name-hint = E.g. «Till 2»; empty: «Касса».
settings-till-store = Store
settings-till-store-hint = A till's key reaches only this store's customers.
settings-till-choose-store = — choose a store —
settings-till-key-issued = Key issued
settings-till-state = State
settings-till-live = live
settings-till-revoked = revoked
settings-till-rotate = Replace the key
settings-till-rotate-warning = The old key stops working at once: enter the new one in the till.
settings-till-rotate-confirm = Yes, replace the key
settings-till-revoke = Revoke
settings-till-revoke-warning = The till will no longer commit receipts. This cannot be undone.
settings-till-revoke-confirm = Yes, revoke the till
settings-till-key-title = Key of till «{ $name }»
settings-till-key = Key
settings-till-key-once = Copy the key now and enter it in the till: it is shown this once, and nobody will see it again.
settings-till-key-copied = I have copied the key
## Programs settings
programs-title = Loyalty programs
programs-new = New program
programs-none = No programs yet.
programs-back = ← All programs
programs-settings-back = ← Settings
programs-created = Created
program-default = default
program-edit = Edit the program
program-new-title = New loyalty program
program-edit-title = Program “{ $name }”
program-section-main = Program
program-section-points = Points
program-section-discount = Discount
program-section-lines = Which goods take part
program-field-name = Name
program-field-kind = Kind
program-field-is_default = Default program: for customers without a card of another program
program-field-earn_rate = Earned, % of what is paid in money
program-field-earn_rate-hint = E.g. 5: a receipt of 1,000 ₽ earns 50 points. A tier may set its own.
program-field-max_payable_share = Paid with points, at most % of a receipt
program-field-max_payable_share-hint = E.g. 50: points may pay half a receipt.
program-field-accrual_delay_days = Points usable after, days
program-field-accrual_delay_days-hint = 0: right after the purchase. Until then they cannot be spent (and a return can take them back).
program-field-expiry_days = Points expire after, days
program-field-expiry_days-hint = Counted from the day they become usable. 0: never.
program-field-discount = Discount, %
program-field-discount-hint = For a fixed discount. A cumulative discount is set by its tiers.
program-field-min_price = Goods cheaper than this do not take part, ₽
program-field-min_price-hint = 0: all take part.
program-field-excluded_categories = Categories left out
program-field-excluded_categories-hint = Separated by commas, e.g. Tobacco, Alcohol. They earn nothing, get no discount and cannot be paid with points.
program-field-tier_period_days = Tier by the purchases of the last, days
program-field-tier_period_days-hint = 0: of all time.
program-section-rewards = Birthdays and referrals
program-field-birthday_points = Birthday points
program-field-birthday_points-hint = 0: none. Given once a year.
program-field-birthday_days_before = Days before the birthday
program-field-birthday_days_before-hint = 0: on the birthday itself.
program-field-birthday_message = Greeting
program-field-birthday_message-hint = Sent to the customer with the points, by their channels.
program-field-referral_points = Points for a referral
program-field-referral_points-hint = To the referrer, after the referred customer's first purchase. 0: none.
program-kind-bonus = Bonus points
program-kind-cumulative_discount = Cumulative discount
program-kind-fixed_discount = Fixed discount
program-error-kind = Choose the kind of program.
programs-error-number = Type a number, e.g. 5 or 2.5.
programs-error-whole = Type a whole number, zero or more.
programs-error-percent = From 0 to 100 %.
programs-error-negative = Cannot be below zero.
programs-error-too_large = Too many: at most 100 years.
programs-error-duplicate = A tier with this threshold exists already.
programs-error-face_value-out_of_range = From 0.01 to 1,000,000 ₽.
programs-error-valid_days-out_of_range = From 1 to 3,660 days.
programs-error-count-out_of_range = From 1 to 100,000 cards a run.
program-after-days = { $count ->
    [one] after { $count } day
   *[other] after { $count } days
}
program-at-once = at once
program-never = never
program-last-days = { $count ->
    [one] of the last { $count } day
   *[other] of the last { $count } days
}
program-lifetime = of all time
tiers-title = Tiers
tiers-none = No tiers
tier-name = Tier
tier-threshold = Threshold, ₽ spent
tier-threshold-hint = The spend from which the tier applies, e.g. 10000.
tier-rate-hint = Empty: as the program's.
tier-rate-program = as the program's
tier-earn-rate = Earned
tier-discount = Discount
tier-edit = Edit
tier-add = Add a tier
tier-add-submit = Add
tier-saved = Tier saved.
tier-added = The tier is added.
preview-title = What a customer gets
preview-hint = Type a sample receipt: a price and a quantity on each line, and if you like a tier or the spend so far. It is priced as the till prices it.
preview-name = Product
preview-category = Category
preview-price = Price, ₽
preview-quantity = Quantity
preview-tier = Tier
preview-tier-by-spend = by the spend so far
preview-spent = Spent so far, ₽
preview-submit = Calculate
preview-empty = Type a price on one line at least.
preview-error-quantity = A quantity above zero, with at most three decimals.
preview-line = Line { $row }
preview-points = { $count ->
    [one] { $points } point
   *[other] { $points } points
}
preview-who = A customer
preview-who-tier = A customer of tier “{ $tier }”
preview-who-no-tier = A customer without a tier
preview-bonus = { $who } gets { $points } for a receipt of { $total }; points may pay up to { $payable } of it.
preview-discount = { $who } gets a discount of { $discount } on a receipt of { $total } and pays { $to_pay }.
preview-left-out = Not in the program: { $names }.
preview-usable-now = The points can be spent at once.
preview-usable-after = { $count ->
    [one] The points become usable after { $count } day.
   *[other] The points become usable after { $count } days.
}
preview-never-expire = The points never expire.
preview-expire-after = { $count ->
    [one] They expire { $count } day after that.
   *[other] They expire { $count } days after that.
}
cards-title = Card groups and print runs
card-groups-none = No card groups yet.
card-group-name = Card group
card-group-program = Program
card-group-new = New card group
card-group-needs-program = Create a loyalty program first:
card-group-submit = Create the group
print-runs-title = Print runs
print-runs-when = When
print-runs-numbers = Numbers
card-group-edit = Edit
card-group-saved = Card group saved.
card-group-created = The card group is created.
print-run-title = Print run
print-run-count = How many cards
print-run-submit = Issue
print-run-done = { $count ->
    [one] { $count } card issued in “{ $group }”: { $first }.
   *[other] { $count } cards issued in “{ $group }”: { $first } to { $last }.
}
certificates-title = Certificate templates
certificate-templates-none = No templates yet.
certificate-name = Template
certificate-face-value = Face value
certificate-face-value-hint = E.g. 3000.
certificate-validity = Valid for
certificate-valid-days = { $count ->
    [one] { $count } day
   *[other] { $count } days
}
certificate-valid-days-field = Valid for, days
certificate-valid-days-hint = From the day it is issued, e.g. 365.
certificate-usage = How it is spent
certificate-partial = in parts, the rest kept
certificate-whole = all at once, in one purchase
certificate-template-new = New certificate template
certificate-template-submit = Create the template
certificate-template-edit = Edit
certificate-template-saved = Template saved.
certificate-template-edit-hint = The new terms apply to certificates issued after saving; those issued before keep theirs.
certificate-template-created = The certificate template is created.
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

## Customer page: certificate, merge, audit trail
customer-certificate-action = Issue a certificate
customer-certificate-done = Certificate issued.
audit-who = Who
audit-what = What
audit-fields = Fields
audit-till = till { $id }
actor-system = the system
actor-demo = demo data
actor-command_line = command line
audit-customer-create = Registered
audit-customer-update = Changed
audit-customer-merge = A duplicate merged in
audit-customer-merged_into = Merged into another customer
audit-customer-archive = Archived
audit-customer-erase = Personal data erased
audit-customer-personal_data_export = Personal data exported
audit-points-adjust = Points by hand
audit-card-bind = Card bound
audit-card-issue = Card issued
audit-card-replace = Card replaced
audit-certificate-issue = Certificate issued
audit-tier-set = Tier set
merge-action = Merge with a duplicate
merge-hint = The duplicate's purchases, points and cards move to this customer; the duplicate is archived. This cannot be undone.
merge-duplicate = Duplicate: phone, card number or customer number, e.g. #123
merge-confirm = I understand the duplicate will be archived
merge-submit = Merge
merge-not-found = No such customer, or several match: be more precise.
merge-confirm-required = Confirm the merge.
merge-done = The duplicate is merged: its purchases, points and cards are here now.

## Customers list: more filters
filter-store = Registered in store
filter-channel = Registered through
filter-consents = Consents
filter-properties = Properties
channel-console = Console
channel-pos = Till
channel-web = Website
channel-app = App
channel-api = API
channel-import = Import
channel-partner = Partner

## customers list
filter-q = Search
column-balance = Balance
column-spent = Spent
column-last-purchase = Last purchase
column-tier = Tier
bulk-tick-all = Tick everyone on the page
filter-group-any = Any
filter-segment-any = Any
filter-status-any = Any
filter-gender-any = Any
filter-store-any = Any
filter-channel-any = Any
filter-age-min = from
filter-age-max = to
filter-birthday-from = from
filter-birthday-to = to
filter-created-from = from
filter-created-to = to
filter-spent = Spent, ₽
filter-spent-min = from
filter-spent-max = to
filter-purchases = Purchases
filter-purchases-min = from
filter-purchases-max = to
filter-last-purchase = Last purchase
filter-last-purchase-from = from
filter-last-purchase-to = to
filter-no-purchase-days = No purchases for, days
filter-balance = Balance, points
filter-balance-min = from
filter-balance-max = to
filter-day = Day
filter-month = Month
filter-consent-any = Either
filter-consent-given = Given
filter-consent-not-given = Not given
filter-property-any = Any
filter-yes = Yes
filter-no = No
filter-refused = The filters were not applied: correct what is marked.
filter-error-money = An amount in roubles, such as 1500 or 1500.50.
filter-error-points = Points, such as 150 or -12.5.
filter-error-whole = A whole number, such as 5.
filter-error-day-and-month = Choose both the day and the month.
filter-error-between = A whole number from { $min } to { $max }.
sort-default = Best match, then newest
sort-name-desc = By name, from the end
sort-created_at-desc = Newest first
sort-created_at-asc = Oldest first
sort-spent_minor-desc = Spent the most
sort-spent_minor-asc = Spent the least
sort-last_purchase_at-desc = Bought most recently
sort-last_purchase_at-asc = Longest without a purchase
error-invalid_month_day = There is no such day in the year.
error-invalid_sort = There is no such order.
error-invalid_number = The number is out of range.
error-invalid_id = There is no such record.
error-invalid_age = An age is a whole number from 0 to 150.
error-invalid_bool = Choose yes or no.
error-invalid_time = This is not a date.
error-invalid_range = The start is past the end.
error-unknown_property = There is no such property.
error-unknown_filter = There is no such filter.
error-unknown_consent = There is no such consent.
error-invalid_limit = A page holds 1 to 500 rows.
error-invalid_cursor = This page of the list is out of date: open the list from the start.
## customer page
profile-title = Profile
profile-age = { $count ->
    [one] { $count } year old
   *[other] { $count } years old
}
profile-cards = Cards
profile-consents = Consents
profile-no-consents = none given
customer-created-done = Customer registered.
customer-saved-done = Changes saved.
customer-merged-into = Merged into
customer-merged-hint = Their purchases, points and cards are there now; nothing can be changed here.
customer-merge-entry = merge: { $from } → { $to }
note-text = New note
note-text-hint = Up to 2000 characters. Every staff user sees it, with your login and the time.
note-submit = Add the note
note-done = Note added.
note-error-required = Write the note's text.
note-error-note_too_long = At most 2000 characters.
receipt-title = Receipt { $number }
receipt-store = Store
receipt-till = Till
receipt-to-pay = To pay
receipt-lines = Lines
receipt-returns = Returns of this receipt
receipt-no-returns = Nothing was returned from this receipt.
receipt-back = Back to the customer
line-sku = SKU
line-name = Product
line-category = Category
line-quantity = Quantity
line-price = Price
line-amount = Amount
card-give = Give a card
card-give-free = A free card of a group
card-give-scanned = A scanned card
card-give-group = Card group and program
card-give-group-hint = A free card is taken from this group; a new scanned card joins it too.
card-give-barcode = Card number
card-give-barcode-hint = For a scanned card: a blank one is bound to the customer, a new one is created.
card-give-symbology = Barcode type
card-symbology-ean13 = EAN-13
card-symbology-code128 = Code 128
card-symbology-qr = QR code
card-give-valid-from = Valid from
card-give-valid-to = Valid to
card-give-valid-to-hint = Empty: for good.
card-give-submit = Give
card-give-done = The card is given and active.
card-give-no-groups = First set up a card group in the programs settings.
card-give-error-no_group = Choose a card group.
error-unknown_reference-group_id = There is no such card group.
error-no_free_card = This group has no free card left.
error-required-barcode = Scan or type the card's number.
error-invalid-barcode = This number is not a barcode of this type.
error-check_digit-barcode = This number is not a barcode of this type.
error-card_bound = This card belongs to another customer.
error-card_theirs = The customer already has this card.
error-card_withdrawn = The card was withdrawn.
error-card_blocked = The card is blocked.
error-before_start-valid_to = The end must come after the start.
error-unknown_op = There is no such comparison.
error-op_not_allowed = This field is not compared that way.
error-period_not_allowed = This field is not limited by a period.
error-invalid_period = A period is a whole number of days from 1 to 36,600.
error-goods_required = Name the goods (SKUs) or categories.
error-goods_not_allowed = This field takes no goods or categories.
error-empty_rule = Add at least one condition.
error-too_deep = Too many nested groups of conditions.
error-unknown_key = The condition has a part it does not take.
error-invalid_rule = The condition is not written correctly.
error-unknown_field = There is no such field.
error-empty_window = The end time must differ from the start time.
error-not_applicable = Does not apply to this kind of offer.
error-repeats = The value is repeated.
error-unknown_segment = There is no such segment.
audit-customer-note = Note added
audit-field-note_id = note

## Segments: the list, a segment's page, the editor and its live count
segments-title = Segments
segments-new = New segment
segments-none = No segments yet.
segment-name = Name
segment-kind = Kind
segment-kind-dynamic = dynamic
segment-kind-static = static
segment-kind-dynamic-hint = Its members are recomputed on a schedule.
segment-kind-static-hint = Its members are fixed once, when it is saved.
segment-size = Size
segment-computed = Recomputed
segment-took-title = Recompute took
segment-took = { $count } ms
segment-schedule = Schedule
segment-never-computed = Not recomputed yet.
segment-schedule-said = Schedule: { $schedule }.
segment-schedule-none = Not recomputed
segment-schedule-hourly = Every hour
segment-schedule-daily = Every day at { $hour }
segment-schedule-weekly = Every week { $day } at { $hour }
segment-on-weekday-1 = on Mondays
segment-on-weekday-2 = on Tuesdays
segment-on-weekday-3 = on Wednesdays
segment-on-weekday-4 = on Thursdays
segment-on-weekday-5 = on Fridays
segment-on-weekday-6 = on Saturdays
segment-on-weekday-7 = on Sundays
segment-created = The segment is created.
segment-saved = The segment is saved.
segment-recomputed = The segment is recomputed.
segment-deleted = The segment is deleted.
segment-no-figure = —
segment-share-base = Share of the base
segment-share-revenue = Share of revenue
segment-average-receipt = Average receipt
segment-last-recompute = Last recompute { $time }: { $entered } entered, { $left } left, took { $took }.
segment-made = Made { $time }: { $entered ->
    [one] { $entered } customer
   *[other] { $entered } customers
}, took { $took }.
segment-chart-size = Customers in the segment
segment-edit = Edit
segment-members = The segment's customers
segment-export = Export to Excel
segment-recompute = Recompute
segment-static-fixed = A static segment: its members were fixed when it was made and are not recomputed.
segment-rules = Rules
segment-no-rules = Made of ticked customers, without rules.
segment-history = Size by recompute
segment-history-table = Recomputes as a table
segment-entered = Entered
segment-left = Left
segment-used = Where it is used
segment-used-none = Not used by any offer or campaign yet.
segment-used-offer = Offer “{ $name }”
segment-in-use = The segment cannot be deleted while offers aim at it: change or remove them first.
segment-delete = Delete the segment
segment-delete-confirm = Delete the segment “{ $name }” with its size history? The customers stay in the base.
segment-delete-submit = Yes, delete
segment-new-title = New segment
segment-edit-title = Segment “{ $name }”
segment-section-main = Segment
segment-schedule-label = When to recompute
segment-every = How often
segment-every-hourly = hourly
segment-every-daily = daily
segment-every-weekly = weekly
segment-weekday = Day of the week
segment-weekday-1 = Monday
segment-weekday-2 = Tuesday
segment-weekday-3 = Wednesday
segment-weekday-4 = Thursday
segment-weekday-5 = Friday
segment-weekday-6 = Saturday
segment-weekday-7 = Sunday
segment-hour = Time
segment-static-no-schedule = A static segment is not recomputed: its members are fixed once, when it is saved.
segment-static-kept = A static segment's members are fixed and its rules do not change. Its name may be changed here.
segment-api-only = This segment's rules are more complex than the editor can show and are changed through the API only. Its name and schedule may be changed here; the rules stay as they are.
segment-stale = Someone changed the segment while you were editing it. Open it again and make your changes once more.
segment-name-taken = A segment with this name already exists.
segment-match-label = A customer matches when
segment-match-all = all rules hold
segment-match-any = any rule holds
segment-group-label = Group:
segment-group-all = all of the group's rules
segment-group-any = any of the group's rules
segment-row = Rule { $count }
segment-field = Field
segment-field-choose = Choose a field
segment-op = Comparison
segment-value = Value
segment-from = from
segment-to = to
segment-period = in the last
segment-period-days = days
segment-categories = Categories
segment-skus = SKUs
segment-goods-hint = Separated by commas; give categories, SKUs or both.
segment-list-comma = Several values: separate them by commas.
segment-list-semicolon = Several amounts: separate them by semicolons.
segment-unit-money = ₽
segment-unit-points = points
segment-unit-units = units
segment-add = + rule
segment-add-group = + group of rules
segment-add-to-group = + rule in the group
segment-remove = Remove
segment-remove-group = Remove the group
segment-count = { $count ->
    [one] { $count } customer matches
   *[other] { $count } customers match
}
segment-count-waiting = Counting the customers who match…
segment-count-empty = Choose a field for a rule and the number of customers who match appears here.
segment-count-refused = Correct the rules marked above and the number appears here.
segment-sample = For example:
segment-error-range = Type a whole number from { $min } to { $max }.
segment-error-pick = Tick at least one value.
error-required-rules = Add at least one rule.
segment-section-profile = Profile
segment-section-consents = Consents
segment-section-properties = Properties
segment-section-loyalty = Loyalty
segment-section-history = Purchase history
segment-section-rfm = RFM analysis
segment-field-gender = Gender
segment-field-age = Age
segment-field-days_to_birthday = Days to birthday
segment-field-group_id = Customer group
segment-field-status = Status
segment-field-tier_id = Tier
segment-field-tier_since_days = Days on the current tier
segment-field-store_id = Registration store
segment-field-channel = Registration channel
segment-field-created_days_ago = Days since registration
segment-field-has_phone = Has a phone
segment-field-has_email = Has an e-mail
segment-field-consent = Consent: { $channel }
segment-field-balance_points = Points balance
segment-field-points_expiring_within_days = Days until points expire
segment-field-purchases_count = Number of purchases
segment-field-spent_minor = Total spent
segment-field-average_receipt_minor = Average receipt
segment-field-first_purchase_days_ago = Days since the first purchase
segment-field-last_purchase_days_ago = Days since the last purchase
segment-field-bought = Bought (units)
segment-field-bought_minor = Bought for an amount
segment-field-stores_visited = Stores bought in
segment-field-purchase_store_id = Bought in store
segment-field-rfm_recency = Recency (RFM, 1–5)
segment-field-rfm_frequency = Frequency (RFM, 1–5)
segment-field-rfm_monetary = Monetary (RFM, 1–5)
segment-field-rfm_group = RFM group
segment-value-gender-female = female
segment-value-gender-male = male
segment-value-status-active = active
segment-value-status-incomplete = under review
segment-value-status-archived = archived
segment-value-rfm_group-champions = champions
segment-value-rfm_group-loyal = loyal
segment-value-rfm_group-potential_loyalists = potential loyalists
segment-value-rfm_group-new_customers = new customers
segment-value-rfm_group-promising = promising
segment-value-rfm_group-need_attention = need attention
segment-value-rfm_group-about_to_sleep = about to sleep
segment-value-rfm_group-at_risk = at risk
segment-value-rfm_group-cannot_lose = cannot lose
segment-value-rfm_group-hibernating = hibernating
segment-value-rfm_group-lost = lost
segment-yes = yes
segment-no = no
segment-number = No. { $id }
segment-units = { $count ->
    [one] { $count } unit
   *[other] { $count } units
}
segment-quoted = “{ $text }”
segment-op-eq = is
segment-op-ne = is not
segment-op-lt = less than
segment-op-lte = at most
segment-op-gt = more than
segment-op-gte = at least
segment-op-between = between
segment-op-in = one of
segment-op-exists = is known
segment-op-absent = is not known
segment-op-date-lt = before
segment-op-date-lte = not after
segment-op-date-gt = after
segment-op-date-gte = not before
segment-test-eq = is { $value }
segment-test-ne = is not { $value }
segment-test-lt = less than { $value }
segment-test-lte = at most { $value }
segment-test-gt = more than { $value }
segment-test-gte = at least { $value }
segment-test-between = from { $low } to { $high }
segment-test-in = is one of: { $value }
segment-test-date-lt = before { $value }
segment-test-date-lte = not after { $value }
segment-test-date-gt = after { $value }
segment-test-date-gte = not before { $value }
segment-says-all = A customer matches when all these rules hold:
segment-says-any = A customer matches when any of these rules holds:
segment-says-not = A customer matches when this does not hold:
segment-says-one = A customer matches when:
segment-says-group-all = all of:
segment-says-group-any = any of:
segment-says-group-not = not:
segment-says = { $subject } { $test }{ $period }
segment-says-bought = Bought { $subject } { $test }{ $period }
segment-says-bought_minor = Bought { $subject } for { $test }{ $period }
segment-says-known = { $field }: known{ $period }
segment-says-unknown = { $field }: not known{ $period }
segment-says-period = { $count ->
    [one] in the last day
   *[other] in the last { $count } days
}
segment-goods-categories = { $count ->
    [one] goods of category { $names }
   *[other] goods of categories { $names }
}
segment-goods-skus = { $count ->
    [one] goods with SKU { $names }
   *[other] goods with SKUs { $names }
}
segment-goods-either = { $categories } or { $skus }
bulk-segment = Save as a segment
bulk-segment-name = Segment name
bulk-segment-hint = A static segment: it keeps the ticked customers.
bulk-segment-submit = Save the segment
bulk-segment-forbidden = This role may not make segments.
customers-export = Export the list to Excel
customers-export-too-many = The list has more rows than an Excel sheet holds. Narrow the filter.
