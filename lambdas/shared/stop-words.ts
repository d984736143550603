/**
 * English words that carry no topic, lower case: skipped by the offline embedder's word features and when the offline
 * answer matches a question against passages. One list, so both agree on what a content word is.
 */
export const STOP_WORDS: ReadonlySet<string> = new Set(
  (
    'a about above after again against all also am an and any are as at be because been before being below ' +
    'between both but by can could did do does doing done down during each either else etc even ever every few ' +
    'for from further get gets got had has have having he hello her here hers herself hey him himself his how i ' +
    'if in into is it it\'s its itself just know let lets like made make may me might more most much must my ' +
    'myself need needs no nor not now of off okay on once one only onto or other our ours ourselves out over own ' +
    'please same shall she should so some such tell than thank thanks that the their theirs them themselves then ' +
    'there these they this those through to too under until up upon us use used using very via want was we were ' +
    'what when where whether which while who whom whose why will with within without would yes yet you your ' +
    'yours yourself yourselves'
  ).split(' '),
);
