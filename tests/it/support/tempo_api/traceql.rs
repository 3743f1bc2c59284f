//! The TraceQL subset the Tempo fixture evaluates (see `tempo_api.rs`): spanset filters joined
//! by `&&`/`||` with parentheses; intrinsics `name`, `duration`, `status`, `kind`; `resource.`,
//! `span.` and unscoped attributes, quoted names included; string (Go escapes), integer,
//! boolean, duration and keyword literals; types compared strictly, as Tempo does. What it
//! cannot parse is an error worded like Tempo's parser. Holds no tests itself.

use serde_json::Value;

use super::{TempoSpan, TempoTrace};

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Open,
    Close,
    LParen,
    RParen,
    And,
    Or,
    Op(&'static str),
    Ident(String),
    Str(String),
    Int(i64),
    Dur(i64),
}

#[derive(Debug, Clone, PartialEq)]
enum Lit {
    Str(String),
    Int(i64),
    Bool(bool),
    Dur(i64),
    Keyword(String),
}

#[derive(Debug)]
enum Expr {
    True,
    Cond(String, &'static str, Lit),
    And(Box<Expr>, Box<Expr>),
    Or(Box<Expr>, Box<Expr>),
}

fn err(col: usize, what: &str) -> String {
    format!(
        "parse error at line 1, col {}: syntax error: {what}",
        col + 1
    )
}

fn lex(q: &str) -> Result<Vec<(usize, Tok)>, String> {
    let chars: Vec<char> = q.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let start = i;
        let two: String = chars[i..(i + 2).min(chars.len())].iter().collect();
        let tok = match c {
            ' ' | '\t' | '\n' => {
                i += 1;
                continue;
            }
            '{' => Tok::Open,
            '}' => Tok::Close,
            '(' => Tok::LParen,
            ')' => Tok::RParen,
            _ if two == "&&" => {
                i += 1;
                Tok::And
            }
            _ if two == "||" => {
                i += 1;
                Tok::Or
            }
            _ if [">=", "<=", "!=", "=~"].contains(&two.as_str()) => {
                i += 1;
                Tok::Op(match two.as_str() {
                    ">=" => ">=",
                    "<=" => "<=",
                    "!=" => "!=",
                    _ => "=~",
                })
            }
            '=' => Tok::Op("="),
            '>' => Tok::Op(">"),
            '<' => Tok::Op("<"),
            '"' => {
                let mut s = String::new();
                i += 1;
                loop {
                    match chars.get(i) {
                        None => return Err(err(start, "unterminated string")),
                        Some('"') => break,
                        Some('\\') => {
                            i += 1;
                            match chars.get(i) {
                                Some('n') => s.push('\n'),
                                Some('r') => s.push('\r'),
                                Some('t') => s.push('\t'),
                                Some('u') => {
                                    let hex: String = chars
                                        .get(i + 1..i + 5)
                                        .unwrap_or_default()
                                        .iter()
                                        .collect();
                                    let n = u32::from_str_radix(&hex, 16)
                                        .map_err(|_| err(i, "invalid escape"))?;
                                    s.push(
                                        char::from_u32(n)
                                            .ok_or_else(|| err(i, "invalid escape"))?,
                                    );
                                    i += 4;
                                }
                                Some(c @ ('"' | '\\')) => s.push(*c),
                                _ => return Err(err(i, "invalid escape")),
                            }
                        }
                        Some(c) => s.push(*c),
                    }
                    i += 1;
                }
                Tok::Str(s)
            }
            c if c.is_ascii_digit() => {
                let mut j = i;
                while j < chars.len() && chars[j].is_ascii_digit() {
                    j += 1;
                }
                let n: i64 = chars[i..j].iter().collect::<String>().parse().unwrap();
                let mut k = j;
                while k < chars.len() && chars[k].is_ascii_alphabetic() {
                    k += 1;
                }
                let unit: String = chars[j..k].iter().collect();
                i = k - 1;
                match unit.as_str() {
                    "" => Tok::Int(n),
                    "ns" => Tok::Dur(n),
                    "us" | "µs" => Tok::Dur(n * 1_000),
                    "ms" => Tok::Dur(n * 1_000_000),
                    "s" => Tok::Dur(n * 1_000_000_000),
                    "m" => Tok::Dur(n * 60_000_000_000),
                    "h" => Tok::Dur(n * 3_600_000_000_000),
                    _ => return Err(err(j, "unexpected IDENTIFIER")),
                }
            }
            c if c.is_ascii_alphabetic() || c == '.' => {
                let mut name = String::new();
                while i < chars.len() {
                    let c = chars[i];
                    if c.is_ascii_alphanumeric() || c == '.' || c == '_' || c == ':' {
                        name.push(c);
                        i += 1;
                    } else if c == '"' && name.ends_with('.') {
                        // A quoted attribute name: `."my key"`, `span."x y"`.
                        let len = quoted_length(&chars[i..]);
                        let literal: String = chars[i..i + len].iter().collect();
                        match lex(&literal)?.first() {
                            Some((_, Tok::Str(s))) => name.push_str(s),
                            _ => return Err(err(i, "bad attribute name")),
                        }
                        i += len;
                    } else {
                        break;
                    }
                }
                i -= 1;
                Tok::Ident(name)
            }
            _ => return Err(err(i, "unexpected character")),
        };
        out.push((start, tok));
        i += 1;
    }
    Ok(out)
}

/// Characters in the string literal at the start of `chars`, quotes included.
fn quoted_length(chars: &[char]) -> usize {
    let mut i = 1;
    while i < chars.len() {
        match chars[i] {
            '\\' => i += 2,
            '"' => return i + 1,
            _ => i += 1,
        }
    }
    chars.len()
}

struct Parser {
    toks: Vec<(usize, Tok)>,
    pos: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.pos).map(|(_, t)| t)
    }
    fn col(&self) -> usize {
        self.toks.get(self.pos).map_or(0, |(c, _)| *c)
    }
    fn next(&mut self) -> Option<Tok> {
        let t = self.toks.get(self.pos).map(|(_, t)| t.clone());
        self.pos += 1;
        t
    }
    fn or(&mut self) -> Result<Expr, String> {
        let mut e = self.and()?;
        while self.peek() == Some(&Tok::Or) {
            self.next();
            e = Expr::Or(Box::new(e), Box::new(self.and()?));
        }
        Ok(e)
    }
    fn and(&mut self) -> Result<Expr, String> {
        let mut e = self.primary()?;
        while self.peek() == Some(&Tok::And) {
            self.next();
            e = Expr::And(Box::new(e), Box::new(self.primary()?));
        }
        Ok(e)
    }
    fn primary(&mut self) -> Result<Expr, String> {
        let col = self.col();
        match self.next() {
            Some(Tok::LParen) => {
                let e = self.or()?;
                match self.next() {
                    Some(Tok::RParen) => Ok(e),
                    _ => Err(err(col, "unclosed (")),
                }
            }
            Some(Tok::Ident(field)) if field == "true" => Ok(Expr::True),
            Some(Tok::Ident(field)) => {
                let col = self.col();
                let Some(Tok::Op(op)) = self.next() else {
                    return Err(err(col, "expected an operator"));
                };
                let col = self.col();
                let lit = match self.next() {
                    Some(Tok::Str(s)) => Lit::Str(s),
                    Some(Tok::Int(n)) => Lit::Int(n),
                    Some(Tok::Dur(n)) => Lit::Dur(n),
                    Some(Tok::Ident(k)) if k == "true" || k == "false" => Lit::Bool(k == "true"),
                    Some(Tok::Ident(k)) if !k.contains('.') => Lit::Keyword(k),
                    _ => return Err(err(col, "unexpected IDENTIFIER")),
                };
                Ok(Expr::Cond(field, op, lit))
            }
            _ => Err(err(col, "unexpected IDENTIFIER")),
        }
    }
}

/// A spanset filter: `{ }` or `{ expr }`.
pub(super) struct Filter(Expr);

pub(super) fn parse(q: &str) -> Result<Filter, String> {
    let toks = lex(q)?;
    let mut p = Parser { toks, pos: 0 };
    if p.next() != Some(Tok::Open) {
        return Err(err(0, "unexpected IDENTIFIER"));
    }
    let e = if p.peek() == Some(&Tok::Close) {
        Expr::True
    } else {
        p.or()?
    };
    let col = p.col();
    if p.next() != Some(Tok::Close) || p.peek().is_some() {
        return Err(err(col, "unexpected IDENTIFIER"));
    }
    Ok(Filter(e))
}

impl Filter {
    pub(super) fn matches(&self, t: &TempoTrace, s: &TempoSpan) -> bool {
        eval(&self.0, t, s)
    }
}

fn eval(e: &Expr, t: &TempoTrace, s: &TempoSpan) -> bool {
    match e {
        Expr::True => true,
        Expr::And(a, b) => eval(a, t, s) && eval(b, t, s),
        Expr::Or(a, b) => eval(a, t, s) || eval(b, t, s),
        Expr::Cond(field, op, lit) => {
            let Some(v) = field_value(field, t, s) else {
                return false;
            };
            compare(&v, op, lit)
        }
    }
}

fn json_lit(v: &Value) -> Lit {
    match v {
        Value::Bool(b) => Lit::Bool(*b),
        Value::Number(n) if n.is_i64() => Lit::Int(n.as_i64().unwrap()),
        Value::String(s) => Lit::Str(s.clone()),
        other => Lit::Str(other.to_string()),
    }
}

fn field_value(field: &str, t: &TempoTrace, s: &TempoSpan) -> Option<Lit> {
    let span_attr = |k: &str| {
        s.attributes
            .iter()
            .find(|(key, _)| key == k)
            .map(|(_, v)| json_lit(v))
    };
    let res_attr = |k: &str| {
        if k == "service.name" {
            return Some(Lit::Str(s.service.clone()));
        }
        t.resource_attributes
            .iter()
            .find(|(key, _)| key == k)
            .map(|(_, v)| json_lit(v))
    };
    match field {
        "name" | "span:name" => Some(Lit::Str(s.name.clone())),
        "duration" | "span:duration" => Some(Lit::Dur(s.end_ns - s.start_ns)),
        "status" | "span:status" => {
            Some(Lit::Keyword(if s.error { "error" } else { "unset" }.into()))
        }
        "kind" | "span:kind" => Some(Lit::Keyword(s.kind.clone())),
        f => {
            if let Some(k) = f.strip_prefix("resource.") {
                res_attr(k)
            } else if let Some(k) = f.strip_prefix("span.") {
                span_attr(k)
            } else if let Some(k) = f.strip_prefix('.') {
                span_attr(k).or_else(|| res_attr(k))
            } else {
                None
            }
        }
    }
}

fn compare(v: &Lit, op: &str, lit: &Lit) -> bool {
    use std::cmp::Ordering;
    let ord = match (v, lit) {
        (Lit::Str(a), Lit::Str(b)) => a.cmp(b),
        (Lit::Int(a), Lit::Int(b)) | (Lit::Dur(a), Lit::Dur(b)) => a.cmp(b),
        (Lit::Bool(a), Lit::Bool(b)) => a.cmp(b),
        (Lit::Keyword(a), Lit::Keyword(b)) => a.cmp(b),
        // TraceQL compares types strictly: `.code = "500"` does not match an int attribute.
        _ => return op == "!=",
    };
    match op {
        "=" => ord == Ordering::Equal,
        "!=" => ord != Ordering::Equal,
        ">" => ord == Ordering::Greater,
        ">=" => ord != Ordering::Less,
        "<" => ord == Ordering::Less,
        "<=" => ord != Ordering::Greater,
        _ => false,
    }
}
