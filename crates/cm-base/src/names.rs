//! Closed sets of names — phases, risks, programs, calendars, formats, diagnostic codes — as
//! enums with one spelling each, used in files, on the command line and in outputs alike.

/// The spellings of a closed set of names: every value, and the text of each.
pub trait Names: Sized + Copy + 'static {
    /// Every value, in the order of the contract.
    const ALL: &'static [Self];

    /// The spelling used in files, on the command line and in outputs.
    fn as_str(self) -> &'static str;

    /// Every spelling, in the order of [`Names::ALL`].
    fn spellings() -> Vec<&'static str> {
        Self::ALL.iter().map(|v| v.as_str()).collect()
    }
}

/// Declares a closed set of names as an enum with its spelling: `Display`, `FromStr` (whose error
/// lists the spellings), serde as the spelling, and [`Names`].
#[macro_export]
macro_rules! names {
    ($(#[$meta:meta])* $vis:vis $name:ident { $($(#[$vmeta:meta])* $variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        $vis enum $name { $($(#[$vmeta])* $variant),+ }

        impl $crate::names::Names for $name {
            const ALL: &'static [$name] = $name::ALL;

            fn as_str(self) -> &'static str {
                $name::as_str(self)
            }
        }

        impl $name {
            /// Every value, in the order of the contract.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The spelling used in files, on the command line and in outputs.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = String;
            fn from_str(s: &str) -> Result<Self, String> {
                match s {
                    $($text => Ok($name::$variant),)+
                    _ => Err(format!(
                        "`{s}` is not one of {}",
                        [$($text),+].join(", ")
                    )),
                }
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl $crate::__serde::Serialize for $name {
            fn serialize<S: $crate::__serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> $crate::__serde::Deserialize<'de> for $name {
            fn deserialize<D: $crate::__serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let text = <::std::borrow::Cow<'_, str> as $crate::__serde::Deserialize>::deserialize(d)?;
                text.parse().map_err(<D::Error as $crate::__serde::de::Error>::custom)
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use super::Names;

    crate::names!(
        /// A set for the test.
        Colour { Red = "red", DarkBlue = "dark-blue" }
    );

    #[test]
    fn a_name_reads_back_as_itself() {
        for c in Colour::ALL {
            assert_eq!(c.as_str().parse::<Colour>(), Ok(*c));
        }
        assert_eq!(Colour::spellings(), ["red", "dark-blue"]);
        assert_eq!(
            "blue".parse::<Colour>(),
            Err("`blue` is not one of red, dark-blue".to_string())
        );
        assert_eq!(
            serde_json::to_string(&Colour::DarkBlue).unwrap(),
            "\"dark-blue\""
        );
    }
}
