//! JSON Pointer paths built lazily while walking a tree: a walk allocates
//! nothing for the path until a problem has to name it.

/// One step of a path, linked to its parent.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Path<'a> {
    /// The document root.
    Root,
    /// A property of an object.
    Key(&'a Path<'a>, &'a str),
    /// An element of an array.
    Index(&'a Path<'a>, usize),
}

impl<'a> Path<'a> {
    /// The path of a property below this one.
    pub(crate) fn key(&'a self, k: &'a str) -> Path<'a> {
        Path::Key(self, k)
    }

    /// The path of an array element below this one.
    pub(crate) fn index(&'a self, i: usize) -> Path<'a> {
        Path::Index(self, i)
    }

    /// The RFC 6901 rendering (`/components/0/hashes/1`).
    pub(crate) fn render(&self) -> String {
        let mut parts = Vec::new();
        let mut cur = self;
        loop {
            match cur {
                Path::Root => break,
                Path::Key(p, k) => {
                    parts.push(k.replace('~', "~0").replace('/', "~1"));
                    cur = p;
                }
                Path::Index(p, i) => {
                    parts.push(i.to_string());
                    cur = p;
                }
            }
        }
        let mut s = String::new();
        for part in parts.iter().rev() {
            s.push('/');
            s.push_str(part);
        }
        s
    }
}
