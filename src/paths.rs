//! Relative paths written in content: they must stay inside the connector's folder and mean the
//! same thing on every operating system.

/// Names Windows reserves: a file so named breaks a Windows checkout of the site.
const WINDOWS_RESERVED: &[&str] = &[
    "con", "prn", "aux", "nul", "com1", "com2", "com3", "com4", "com5", "com6", "com7", "com8",
    "com9", "lpt1", "lpt2", "lpt3", "lpt4", "lpt5", "lpt6", "lpt7", "lpt8", "lpt9",
];

/// Why `path` is not a safe relative path inside a folder, if it is not.
pub fn problem(path: &str) -> Option<&'static str> {
    if path.is_empty() {
        return Some("the path is empty");
    }
    if path.contains('\0') || path.chars().any(char::is_control) {
        return Some("control characters are not allowed");
    }
    if path.contains('\\') {
        return Some("use `/` between folders, not `\\`");
    }
    if path.starts_with('/') {
        return Some("absolute paths are not allowed");
    }
    if path.len() >= 2 && path.as_bytes()[1] == b':' {
        return Some("drive letters and schemes are not allowed");
    }
    if path.contains('%') {
        return Some("percent-encoding is not allowed in file paths");
    }
    if path.contains(['?', '#']) {
        return Some(
            "`?` and `#` are not allowed in file names, where a browser reads them as the end of the address",
        );
    }
    for part in path.split('/') {
        if part == ".." {
            return Some("`..` may not leave the folder");
        }
        if is_windows_reserved(part) {
            return Some("the name is reserved on Windows");
        }
    }
    None
}

/// `con`, `nul.txt`, `COM1.png`…: reserved whatever the extension or case.
pub fn is_windows_reserved(name: &str) -> bool {
    let stem = name.split('.').next().unwrap_or(name).to_ascii_lowercase();
    WINDOWS_RESERVED.contains(&stem.as_str())
}

/// Joins a relative `target` onto the folder `base` (both `/`-separated, relative to the same
/// root), resolving `.` and `..`. `None` when it would climb above the root.
pub fn join(base: &str, target: &str) -> Option<String> {
    let mut parts: Vec<&str> = base.split('/').filter(|p| !p.is_empty()).collect();
    for part in target.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            part => parts.push(part),
        }
    }
    Some(parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unsafe_paths_are_named() {
        for bad in [
            "/etc/passwd",
            "../x",
            "..\\x",
            "C:\\x",
            "a/%2e%2e/b",
            "a\0b",
            "screens/../../x",
            "con",
            "docs/NUL.md",
            "lo#go.svg",
            "screens/a?b.png",
            "",
        ] {
            assert!(problem(bad).is_some(), "{bad:?}");
        }
        for good in [
            "logo.svg",
            "screenshots/orders.png",
            "./logo.svg",
            "console.png",
        ] {
            assert_eq!(problem(good), None, "{good}");
        }
    }

    #[test]
    fn join_resolves_dots_and_refuses_to_climb() {
        assert_eq!(join("docs", "setup.md").as_deref(), Some("docs/setup.md"));
        assert_eq!(join("docs", "../logo.svg").as_deref(), Some("logo.svg"));
        assert_eq!(join("docs", "./a/../b.md").as_deref(), Some("docs/b.md"));
        assert_eq!(join("docs", "../../x"), None);
        assert_eq!(join("", "x.md").as_deref(), Some("x.md"));
    }
}
