import { describe, expect, it } from 'vitest';
import { ParamError } from '../../src/core/errors.js';
import { commonParams, Params, param, paramsFromJSON } from '../../src/ml/params.js';

const specs = {
  k: param.integer(2, 'clusters', { min: 1 }),
  rate: param.number(0.1, 'rate', { min: 0, exclusiveMin: true }),
  mode: param.choice('a', 'mode', ['a', 'b'] as const),
  featuresCol: commonParams.featuresCol,
};

describe('Params', () => {
  it('has defaults, takes options, and sets fluently', () => {
    const params = new Params(specs, { k: 5 });
    expect(params.getAll()).toEqual({ k: 5, rate: 0.1, mode: 'a', featuresCol: 'features' });
    expect(params.set('mode', 'b').set('rate', 2).get('mode')).toBe('b');
    params.set('featuresCol', ['x', 'y']);
    expect(params.get('featuresCol')).toEqual(['x', 'y']);
  });

  it('rejects bad values with the parameter, the value and what is accepted', () => {
    expect(() => new Params(specs, { k: 1.5 })).toThrow(
      "invalid value for parameter 'k': 1.5; expected an integer >= 1",
    );
    expect(() => new Params(specs, { rate: 0 })).toThrow('expected a finite number > 0');
    expect(() => new Params(specs, { mode: 'c' as 'a' })).toThrow("expected one of 'a', 'b'");
    expect(() => new Params(specs, { featuresCol: [] })).toThrow('a non-empty array of column names');
    expect(() => new Params(specs, { nope: 1 } as never)).toThrow(ParamError);
  });

  it('reads saved values back and refuses unknown names', () => {
    expect(paramsFromJSON(specs, { k: 3 }, 'kmeans').get('k')).toBe(3);
    expect(() => paramsFromJSON(specs, { q: 3 }, 'kmeans')).toThrow("parameter 'kmeans.params'");
    expect(() => paramsFromJSON(specs, [1], 'kmeans')).toThrow('an object of parameter values');
  });
});
