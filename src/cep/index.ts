/** Complex event processing: Flink CEP's patterns, compiled to an NFA, over DataStreams. */
export { fieldOf, type JsonEvent, patternFromJson } from './json-pattern.js';
export {
  type Match,
  NFA,
  type NfaOutput,
  SkipStrategyError,
  type TimedOutMatch,
} from './nfa.js';
export {
  AfterMatchSkipStrategy,
  type Condition,
  type ConditionContext,
  type ConsumingStrategy,
  GroupPattern,
  MalformedPatternError,
  Pattern,
  type Quantifier,
  type SkipStrategy,
} from './pattern.js';
export {
  CEP,
  type PatternContext,
  type PatternProcessFunction,
  PatternStream,
  type TimedOutPartialMatch,
} from './pattern-stream.js';
