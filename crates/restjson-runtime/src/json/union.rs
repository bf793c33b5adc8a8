//! The shared part of reading a union: the object must set exactly one member.
//!
//! `json_union!` (in the runtime's macros) matches the member's name to a variant; what every
//! union shares is here. In a message body, a `__type` key (which some services add to name the
//! union's shape) and `null` members are ignored, and a member the model does not know reads as
//! the union's `Unknown` variant, since a newer service may send it. A document must name a
//! member the model knows.

use super::{excerpt, JsonError, Reader};

impl Reader<'_> {
    /// Reads a union object: the one member it sets goes to `variant` with its name, which reads
    /// the value and answers `true`, or answers `false` for a member the model does not know
    /// (then skipped in a body, an error in a document).
    pub fn read_union(
        &mut self,
        variant: &mut dyn FnMut(&str, &mut Self) -> Result<bool, JsonError>,
    ) -> Result<(), JsonError> {
        self.begin_object("an object with one member")?;
        let mut set: Option<String> = None;
        let mut first = true;
        while let Some(key) = self.next_key(first)? {
            first = false;
            if self.is_body() && key == "__type" {
                self.skip()?;
                continue;
            }
            if self.null()? {
                continue;
            }
            if let Some(earlier) = &set {
                return Err(self.error(format!(
                    "a union must set one member, found {} and {}",
                    excerpt(earlier),
                    excerpt(&key)
                )));
            }
            if !variant(&key, self)? {
                if !self.is_body() {
                    return Err(
                        self.error(format!("`{}` is not a member of the union", excerpt(&key)))
                    );
                }
                self.skip()?;
            }
            set = Some(key.into_owned());
        }
        if set.is_none() {
            return Err(self.error("a union must set one member, found none"));
        }
        Ok(())
    }
}
