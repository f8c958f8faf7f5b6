//! Signed postbacks: an HMAC of the expanded URL, or of chosen parameters of it, appended as a
//! named parameter, for networks that check a `sign=` (with the `hash` feature).
//!
//! A [`Signer`] holds the secret, the algorithm, the parameter the signature goes in and what
//! is signed. [`Signer::sign`] computes the signature of an expanded postback and appends it,
//! on the stack: the only bytes written to the heap are the ones the URL grows by.
//!
//! ```
//! use postback::sign::{Algorithm, Signer};
//!
//! let signer = Signer::new(Algorithm::HmacSha256, b"s3cret".to_vec(), "sign")?;
//! let mut url = String::from("https://net.example/pb?cid=ck-1&sum=3.30");
//! signer.sign(&mut url)?;
//! assert_eq!(
//!     url,
//!     "https://net.example/pb?cid=ck-1&sum=3.30\
//!      &sign=e2b003b9a39efef1a23dcdebd6361fddeea16b53a6fd047dd10d3f5ef84a3856",
//! );
//! // `openssl dgst -sha256 -hmac s3cret` agrees. The secret never shows.
//! assert!(!format!("{signer:?}").contains("s3cret"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use alloc::boxed::Box;
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

use hmac::{Hmac, KeyInit, Mac};

/// The HMAC a [`Signer`] computes.
///
/// ```
/// use postback::sign::{Algorithm, Signer};
///
/// let url = "https://net.example/pb?cid=ck-1&sum=3.30";
/// let sha256 = Signer::new(Algorithm::HmacSha256, b"s3cret".to_vec(), "sign")?;
/// let sha1 = Signer::new(Algorithm::HmacSha1, b"s3cret".to_vec(), "sign")?;
/// assert_eq!(sha256.signature(url)?.as_str().len(), 64);
/// assert_eq!(sha1.signature(url)?.as_str().len(), 40);
/// # Ok::<(), postback::sign::SignError>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Algorithm {
    /// HMAC-SHA256: 64 hexadecimal digits.
    HmacSha256,
    /// HMAC-SHA1: 40 hexadecimal digits, for networks that still ask for it.
    HmacSha1,
}

/// What a [`Signer`] signs.
///
/// ```
/// use postback::sign::{Algorithm, Message, Signer};
///
/// let signer = Signer::new(Algorithm::HmacSha256, b"s3cret".to_vec(), "sign")?;
/// let url = "https://net.example/pb?cid=ck-1&sum=3.30";
/// // `Url`, the default: the whole URL is signed.
/// assert_eq!(signer.signature(url)?, signer.signature_of_body(url)?);
/// let params = Message::Params { names: vec!["cid".into(), "sum".into()], separator: String::new() };
/// let signer = signer.signing(params);
/// assert_eq!(signer.signature(url)?, signer.signature_of_body("ck-13.30")?);
/// # Ok::<(), postback::sign::SignError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Message {
    /// The whole URL as expanded, before the signature is appended (and before its fragment,
    /// if it has one).
    Url,
    /// The values of these query parameters, in this order, as they are written in the URL
    /// (percent-encoded), joined by `separator`.
    Params {
        /// The parameters' names.
        names: Vec<String>,
        /// What goes between two values: often nothing, or `|`.
        separator: String,
    },
}

/// Signs expanded postbacks: see the [module docs](self).
///
/// Its `Debug` output names the algorithm, the parameter and the message, never the secret;
/// nothing else reads the secret back.
///
/// ```
/// use postback::sign::{Algorithm, Signer};
///
/// let signer = Signer::new(Algorithm::HmacSha256, b"s3cret".to_vec(), "sign")?;
/// assert_eq!(
///     format!("{signer:?}"),
///     r#"Signer { algorithm: HmacSha256, secret: "<redacted>", param: "sign", message: Url }"#,
/// );
/// # Ok::<(), postback::sign::SignError>(())
/// ```
#[derive(Clone)]
pub struct Signer {
    algorithm: Algorithm,
    secret: Box<[u8]>,
    param: String,
    message: Message,
}

impl fmt::Debug for Signer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Signer")
            .field("algorithm", &self.algorithm)
            .field("secret", &"<redacted>")
            .field("param", &self.param)
            .field("message", &self.message)
            .finish()
    }
}

impl Signer {
    /// A signer of whole URLs with `algorithm` and `secret`, whose signature goes in the
    /// query parameter `param`.
    ///
    /// ```
    /// use postback::sign::{Algorithm, SignError, Signer};
    ///
    /// let signer = Signer::new(Algorithm::HmacSha256, b"s3cret".to_vec(), "sign")?;
    /// assert_eq!(signer.param(), "sign");
    /// let empty = Signer::new(Algorithm::HmacSha256, Vec::new(), "sign").unwrap_err();
    /// assert_eq!(empty, SignError::EmptySecret);
    /// let param = Signer::new(Algorithm::HmacSha256, b"s3cret".to_vec(), "sign&x").unwrap_err();
    /// assert_eq!(param, SignError::Param("sign&x".into()));
    /// # Ok::<(), SignError>(())
    /// ```
    ///
    /// # Errors
    ///
    /// A [`SignError`] when the secret is empty ([`SignError::EmptySecret`]), or when `param`
    /// is empty or holds a character other than ASCII letters, digits, `-`, `.`, `_`, `~`
    /// ([`SignError::Param`]).
    pub fn new(algorithm: Algorithm, secret: Vec<u8>, param: &str) -> Result<Signer, SignError> {
        if secret.is_empty() {
            return Err(SignError::EmptySecret);
        }
        let clean = |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~');
        if param.is_empty() || !param.bytes().all(clean) {
            return Err(SignError::Param(param.into()));
        }
        Ok(Signer {
            algorithm,
            secret: secret.into_boxed_slice(),
            param: param.into(),
            message: Message::Url,
        })
    }

    /// The same signer, signing `message` instead.
    ///
    /// ```
    /// use postback::sign::{Algorithm, Message, Signer};
    ///
    /// let signer = Signer::new(Algorithm::HmacSha1, b"k".to_vec(), "sig")?.signing(Message::Params {
    ///     names: vec!["cid".into(), "sum".into()],
    ///     separator: "|".into(),
    /// });
    /// let mut url = String::from("https://net.example/pb?sum=3.30&cid=ck%201");
    /// signer.sign(&mut url)?;
    /// // The HMAC-SHA1 of `ck%201|3.30` (`openssl dgst -sha1 -hmac k` agrees).
    /// assert_eq!(url, "https://net.example/pb?sum=3.30&cid=ck%201&sig=9b397b720e5f063cdbe85b56a16554dd6087d3c0");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn signing(self, message: Message) -> Signer {
        Signer { message, ..self }
    }

    /// The parameter the signature goes in.
    ///
    /// ```
    /// use postback::sign::{Algorithm, Signer};
    ///
    /// let signer = Signer::new(Algorithm::HmacSha1, b"s3cret".to_vec(), "hash")?;
    /// assert_eq!(signer.param(), "hash");
    /// # Ok::<(), postback::sign::SignError>(())
    /// ```
    pub fn param(&self) -> &str {
        &self.param
    }

    /// The signature of `url`, in lowercase hexadecimal.
    ///
    /// ```
    /// use postback::sign::{Algorithm, Message, SignError, Signer};
    ///
    /// let signer = Signer::new(Algorithm::HmacSha256, b"s3cret".to_vec(), "sign")?;
    /// // For a network that takes the signature in a header: the URL is left as it is.
    /// let signature = signer.signature("https://net.example/pb?cid=ck-1&sum=3.30")?;
    /// assert_eq!(signature.as_str(), "e2b003b9a39efef1a23dcdebd6361fddeea16b53a6fd047dd10d3f5ef84a3856");
    /// let params = Message::Params { names: vec!["cid".into(), "txid".into()], separator: "|".into() };
    /// let err = signer.signing(params).signature("https://net.example/pb?cid=ck-1").unwrap_err();
    /// assert_eq!(err, SignError::MissingParam("txid".into()));
    /// # Ok::<(), SignError>(())
    /// ```
    ///
    /// # Errors
    ///
    /// A [`SignError::MissingParam`] when the message names a parameter `url` does not have.
    pub fn signature(&self, url: &str) -> Result<Signature, SignError> {
        let (signed, _) = split_fragment(url);
        self.hmac(|update| self.feed_url(signed, update))
    }

    /// The signature of `body`, a request's body as it is sent, whole, in lowercase
    /// hexadecimal: for a network that checks a signature header over a POST's body. The
    /// signer's [`Message`] is for URLs, and does not apply.
    ///
    /// ```
    /// use postback::sign::{Algorithm, Signer};
    ///
    /// let signer = Signer::new(Algorithm::HmacSha256, b"key".to_vec(), "sign")?;
    /// let body = "The quick brown fox jumps over the lazy dog";
    /// assert_eq!(
    ///     signer.signature_of_body(body)?.as_str(),
    ///     "f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8",
    /// );
    /// # Ok::<(), postback::sign::SignError>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`SignError::EmptySecret`] when the secret is empty, which [`Signer::new`] refuses
    /// already: never for a signer it made.
    pub fn signature_of_body(&self, body: &str) -> Result<Signature, SignError> {
        self.hmac(|update| {
            update(body.as_bytes());
            Ok(())
        })
    }

    /// Appends the signature of `url` to it, as `&PARAM=HEX` (`?PARAM=HEX` when it has no
    /// query), before its fragment if it has one.
    ///
    /// ```
    /// use postback::sign::{Algorithm, SignError, Signer};
    ///
    /// let signer = Signer::new(Algorithm::HmacSha1, b"s3cret".to_vec(), "sig")?;
    /// let mut url = String::from("https://net.example/pb/ck-1#top");
    /// signer.sign(&mut url)?;
    /// let signature = signer.signature("https://net.example/pb/ck-1")?;
    /// assert_eq!(url, format!("https://net.example/pb/ck-1?sig={signature}#top"));
    /// // Signed once: the second time the URL is refused, and left as it was.
    /// let signed = url.clone();
    /// assert_eq!(signer.sign(&mut url), Err(SignError::ParamExists("sig".into())));
    /// assert_eq!(url, signed);
    /// # Ok::<(), SignError>(())
    /// ```
    ///
    /// # Errors
    ///
    /// A [`SignError::MissingParam`] when the message names a parameter `url` does not have;
    /// a [`SignError::ParamExists`] when `url` already has the signature's parameter. `url`
    /// is then as it was.
    pub fn sign(&self, url: &mut String) -> Result<(), SignError> {
        let (signed, _) = split_fragment(url);
        if query_value(signed, &self.param).is_some() {
            return Err(SignError::ParamExists(self.param.as_str().into()));
        }
        let at = signed.len();
        // No empty query piece: after a `?` or a `&` that ends the URL, nothing more.
        let separator = match signed.as_bytes().last() {
            Some(b'?' | b'&') => "",
            _ if signed.contains('?') => "&",
            _ => "?",
        };
        let signature = self.signature(url)?;
        // Before the fragment, if there is one; each piece before the one written last.
        url.insert_str(at, signature.as_str());
        url.insert(at, '=');
        url.insert_str(at, &self.param);
        url.insert_str(at, separator);
        Ok(())
    }

    /// The HMAC, with the signer's algorithm and secret, of what `feed` hands to the update
    /// function it is given.
    fn hmac(
        &self,
        feed: impl FnOnce(&mut dyn FnMut(&[u8])) -> Result<(), SignError>,
    ) -> Result<Signature, SignError> {
        fn keyed<M: Mac + KeyInit>(
            secret: &[u8],
            feed: impl FnOnce(&mut dyn FnMut(&[u8])) -> Result<(), SignError>,
        ) -> Result<Signature, SignError> {
            let mut mac =
                <M as KeyInit>::new_from_slice(secret).map_err(|_| SignError::EmptySecret)?;
            feed(&mut |bytes| mac.update(bytes))?;
            Ok(Signature::of(&mac.finalize().into_bytes()))
        }
        match self.algorithm {
            Algorithm::HmacSha256 => keyed::<Hmac<sha2::Sha256>>(&self.secret, feed),
            Algorithm::HmacSha1 => keyed::<Hmac<sha1::Sha1>>(&self.secret, feed),
        }
    }

    /// Hands `update` what `self.message` takes from `url`, which has no fragment.
    fn feed_url(&self, url: &str, update: &mut dyn FnMut(&[u8])) -> Result<(), SignError> {
        match &self.message {
            Message::Url => update(url.as_bytes()),
            Message::Params { names, separator } => {
                for (i, name) in names.iter().enumerate() {
                    let Some(value) = query_value(url, name) else {
                        return Err(SignError::MissingParam(name.as_str().into()));
                    };
                    if i > 0 {
                        update(separator.as_bytes());
                    }
                    update(value.as_bytes());
                }
            }
        }
        Ok(())
    }
}

/// `url` before its fragment, and the fragment with its `#`.
fn split_fragment(url: &str) -> (&str, &str) {
    url.split_at(url.find('#').unwrap_or(url.len()))
}

/// The value of the first query parameter `name` of `url` (which has no fragment), as written.
fn query_value<'u>(url: &'u str, name: &str) -> Option<&'u str> {
    let (_, query) = url.split_once('?')?;
    query
        .split('&')
        .find_map(|pair| match pair.split_once('=') {
            Some((key, value)) if key == name => Some(value),
            None if pair == name => Some(""),
            _ => None,
        })
}

/// A signature in lowercase hexadecimal, on the stack.
///
/// ```
/// use postback::sign::{Algorithm, Signer};
///
/// let signer = Signer::new(Algorithm::HmacSha1, b"key".to_vec(), "sig")?;
/// let signature = signer.signature_of_body("The quick brown fox jumps over the lazy dog")?;
/// assert_eq!(signature.to_string(), "de7c9b85b8b78aa6bc8a7a36f70a90701c9db4d9");
/// assert_eq!(format!("{signature:?}"), "Signature(de7c9b85b8b78aa6bc8a7a36f70a90701c9db4d9)");
/// # Ok::<(), postback::sign::SignError>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Signature {
    digits: [u8; 64],
    len: u8,
}

impl Signature {
    fn of(mac: &[u8]) -> Signature {
        const HEX: &[u8; 16] = b"0123456789abcdef";
        let mut digits = [0; 64];
        for (pair, &byte) in digits.chunks_exact_mut(2).zip(mac) {
            pair[0] = HEX[usize::from(byte >> 4)];
            pair[1] = HEX[usize::from(byte & 15)];
        }
        let len = u8::try_from(2 * mac.len().min(32)).unwrap_or(64);
        Signature { digits, len }
    }

    /// The hexadecimal digits.
    ///
    /// ```
    /// use postback::sign::{Algorithm, Signer};
    ///
    /// let signer = Signer::new(Algorithm::HmacSha256, b"s3cret".to_vec(), "sign")?;
    /// let signature = signer.signature("https://net.example/pb?cid=ck-1&sum=3.30")?;
    /// // For a header such as `X-Signature`, or a check of the network's own.
    /// assert_eq!(signature.as_str(), "e2b003b9a39efef1a23dcdebd6361fddeea16b53a6fd047dd10d3f5ef84a3856");
    /// assert!(signature.as_str().bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)));
    /// # Ok::<(), postback::sign::SignError>(())
    /// ```
    pub fn as_str(&self) -> &str {
        let digits = self.digits.get(..usize::from(self.len)).unwrap_or_default();
        core::str::from_utf8(digits).unwrap_or_default()
    }
}

impl fmt::Display for Signature {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for Signature {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Signature({})", self.as_str())
    }
}

/// Why a postback could not be signed, or a [`Signer`] not built.
///
/// ```
/// use postback::sign::{Algorithm, SignError, Signer};
///
/// let signer = Signer::new(Algorithm::HmacSha256, b"s3cret".to_vec(), "sign")?;
/// let mut url = String::from("https://net.example/pb?cid=ck-1&sign=forged");
/// let err = signer.sign(&mut url).unwrap_err();
/// assert_eq!(err, SignError::ParamExists("sign".into()));
/// assert_eq!(err.to_string(), r#"the URL already has the signature parameter "sign""#);
/// # Ok::<(), SignError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SignError {
    /// The secret is empty.
    EmptySecret,
    /// The signature's parameter name is empty or not plain URL text.
    Param(Box<str>),
    /// The message names a parameter the URL does not have.
    MissingParam(Box<str>),
    /// The URL already has the signature's parameter.
    ParamExists(Box<str>),
}

impl fmt::Display for SignError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SignError::EmptySecret => f.write_str("the signing secret is empty"),
            SignError::Param(name) => write!(
                f,
                "signature parameter {name:?} is not a name of ASCII letters, digits, '-', '.', '_', '~'"
            ),
            SignError::MissingParam(name) => {
                write!(f, "the URL has no parameter {name:?} to sign")
            }
            SignError::ParamExists(name) => {
                write!(f, "the URL already has the signature parameter {name:?}")
            }
        }
    }
}

impl core::error::Error for SignError {}
