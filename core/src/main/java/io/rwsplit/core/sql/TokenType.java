package io.rwsplit.core.sql;

/** What the lexer saw; only the distinctions routing needs. */
enum TokenType {
    /** Unquoted identifier or keyword. */
    WORD,
    /** {@code `identifier`}. */
    QUOTED_ID,
    /** {@code 'text'} or {@code "text"}. */
    STRING,
    NUMBER,
    /** {@code @name}, {@code @'name'}. */
    USER_VAR,
    /** {@code @@name}, {@code @@session.name}. */
    SYS_VAR,
    LPAREN,
    RPAREN,
    COMMA,
    SEMICOLON,
    DOT,
    EQ,
    /** {@code :=}. */
    ASSIGN,
    /** {@code ?} placeholder. */
    PARAM,
    /** Any other operator or punctuation. */
    OTHER
}
