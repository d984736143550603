/**
 * Compile-time proof that a schema's output is exactly a contract type, in both directions: `SameType` is `true` only
 * when `A` and `B` are mutually assignable, so a field added to (or dropped from) either side fails `tsc`.
 */
export type SameType<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

/** `Assert<SameType<A, B>>` does not compile unless the two types are the same. */
export type Assert<_Proof extends true> = _Proof;
