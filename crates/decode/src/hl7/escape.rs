//! Delimiters (MSH-1, MSH-2) and escape sequences, HL7 v2 Chapter 2 §2.5.4, §2.7.

/// The delimiters a message declares in MSH-1 and MSH-2.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Delimiters {
    /// Field separator (MSH-1, usually `|`).
    pub field: u8,
    /// Component separator (usually `^`).
    pub component: u8,
    /// Repetition separator (usually `~`).
    pub repetition: u8,
    /// Escape character (usually `\`).
    pub escape: u8,
    /// Subcomponent separator (usually `&`).
    pub subcomponent: u8,
}

impl Default for Delimiters {
    fn default() -> Self {
        Self {
            field: b'|',
            component: b'^',
            repetition: b'~',
            escape: b'\\',
            subcomponent: b'&',
        }
    }
}

impl Delimiters {
    /// Reads MSH-1 and MSH-2 from a segment starting with `MSH`; missing
    /// encoding characters fall back to the defaults.
    pub fn from_msh(seg: &[u8]) -> Option<Self> {
        let field = *seg.get(3)?;
        let mut d = Self {
            field,
            ..Self::default()
        };
        let enc: Vec<u8> = seg
            .get(4..)?
            .iter()
            .copied()
            .take_while(|&b| b != field)
            .take(4)
            .collect();
        if let Some(&c) = enc.first() {
            d.component = c;
        }
        if let Some(&c) = enc.get(1) {
            d.repetition = c;
        }
        if let Some(&c) = enc.get(2) {
            d.escape = c;
        }
        if let Some(&c) = enc.get(3) {
            d.subcomponent = c;
        }
        Some(d)
    }

    /// Resolves escape sequences in one component (§2.7): `\F\ \S\ \T\ \R\ \E\`
    /// become delimiters, `\Xhh..\` hex bytes; formatting and highlighting
    /// sequences are dropped; an unterminated escape is kept verbatim.
    pub fn unescape(&self, raw: &[u8]) -> Vec<u8> {
        if !raw.contains(&self.escape) {
            return raw.to_vec();
        }
        let mut out = Vec::with_capacity(raw.len());
        let mut i = 0;
        while let Some(&b) = raw.get(i) {
            if b != self.escape {
                out.push(b);
                i += 1;
                continue;
            }
            let body_start = i + 1;
            let Some(len) = raw
                .get(body_start..)
                .and_then(|r| r.iter().position(|&x| x == self.escape))
            else {
                out.extend_from_slice(raw.get(i..).unwrap_or(&[]));
                break;
            };
            let body = raw.get(body_start..body_start + len).unwrap_or(&[]);
            match body {
                b"F" => out.push(self.field),
                b"S" => out.push(self.component),
                b"T" => out.push(self.subcomponent),
                b"R" => out.push(self.repetition),
                b"E" => out.push(self.escape),
                [b'X', hex @ ..] => out.extend(hex.chunks_exact(2).filter_map(|p| {
                    let s = std::str::from_utf8(p).ok()?;
                    u8::from_str_radix(s, 16).ok()
                })),
                _ => {}
            }
            i = body_start + len + 1;
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unescapes() {
        let d = Delimiters::default();
        assert_eq!(
            d.unescape(br"A\F\B\S\C\T\D\R\E\E\\X4142\\H\x"),
            b"A|B^C&D~E\\ABx".to_vec()
        );
        assert_eq!(d.unescape(br"open\F"), br"open\F".to_vec());
    }

    #[test]
    fn custom_delimiters() {
        let d = Delimiters::from_msh(b"MSH#$*!%#x");
        assert_eq!(
            d,
            Some(Delimiters {
                field: b'#',
                component: b'$',
                repetition: b'*',
                escape: b'!',
                subcomponent: b'%'
            })
        );
    }
}
