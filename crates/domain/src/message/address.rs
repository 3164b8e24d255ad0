//! Where a customer is reached beyond their phone and e-mail: a device's
//! push token, a messenger's handle. Registered by the shop's app or bot,
//! each belongs to one customer at a time.

use super::Channel;
use crate::validation::FieldError;

/// The longest device token or handle kept (an FCM token is about 160
/// characters, an APNs one 64).
pub const MAX_ADDRESS_CHARS: usize = 512;

/// The channels whose addresses are registered rather than typed into the
/// customer's profile.
pub fn registers_addresses(channel: Channel) -> bool {
    matches!(channel, Channel::Push | Channel::Messenger)
}

/// A device token or handle as given, checked: one printable word.
pub fn device_address(channel: Channel, raw: &str) -> Result<String, FieldError> {
    if !registers_addresses(channel) {
        return Err(FieldError::new(
            "channel",
            "not_registered",
            format!(
                "a customer's {} address is their profile's own field; push and messenger addresses are registered here",
                channel.as_str()
            ),
        ));
    }
    let address = raw.trim();
    if address.is_empty() {
        return Err(FieldError::new(
            "address",
            "required",
            "give the device token or handle",
        ));
    }
    if address.chars().count() > MAX_ADDRESS_CHARS {
        return Err(FieldError::new(
            "address",
            "too_long",
            format!("an address has at most {MAX_ADDRESS_CHARS} characters"),
        ));
    }
    if address.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(FieldError::new(
            "address",
            "bad_address",
            "a device token or handle is one word, without spaces or control characters",
        ));
    }
    Ok(address.to_owned())
}

/// A label for the device or account, as the app names it ("iPhone Анны").
pub fn address_label(raw: Option<&str>) -> Result<Option<String>, FieldError> {
    let Some(label) = raw.map(str::trim).filter(|l| !l.is_empty()) else {
        return Ok(None);
    };
    if label.chars().count() > 100 || label.chars().any(char::is_control) {
        return Err(FieldError::new(
            "label",
            "bad_label",
            "a label has at most 100 characters and no control characters",
        ));
    }
    Ok(Some(label.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_push_and_messenger_addresses_are_registered() {
        assert_eq!(
            device_address(Channel::Push, " fcm:token-1 ").unwrap(),
            "fcm:token-1"
        );
        assert_eq!(device_address(Channel::Messenger, "42").unwrap(), "42");
        assert_eq!(
            device_address(Channel::Email, "a@b.ru").unwrap_err().code,
            "not_registered"
        );
        assert_eq!(
            device_address(Channel::Push, " ").unwrap_err().code,
            "required"
        );
        assert_eq!(
            device_address(Channel::Push, "two words").unwrap_err().code,
            "bad_address"
        );
        assert_eq!(
            device_address(Channel::Push, &"x".repeat(MAX_ADDRESS_CHARS + 1))
                .unwrap_err()
                .code,
            "too_long"
        );
        assert_eq!(address_label(Some("  ")).unwrap(), None);
        assert_eq!(address_label(Some("a\u{7}")).unwrap_err().code, "bad_label");
    }
}
