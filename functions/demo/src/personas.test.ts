import { describe, expect, it } from 'vitest';
import { describePersonas } from './personas.js';

const listed = [
  { id: 'zippy', description: 'Writes like Zippy.' },
  { id: 'dril', description: 'Writes like dril.' },
];

describe('describePersonas', () => {
  it("is the server's own model, by the id it lists, when no name is configured", () => {
    expect(describePersonas([], listed)).toEqual([{ id: 'zippy', description: 'Writes like Zippy.', served: true }]);
    expect(describePersonas([], undefined)).toEqual([{ id: 'default', served: true }]);
  });

  it('gives each named model its own description, in the configured order', () => {
    expect(describePersonas(['dril', 'zippy'], listed)).toEqual([
      { name: 'dril', id: 'dril', description: 'Writes like dril.', served: true },
      { name: 'zippy', id: 'zippy', description: 'Writes like Zippy.', served: true },
    ]);
  });

  it('marks a name the server does not list, but not while the server cannot be asked', () => {
    expect(describePersonas(['zippy', 'nobody'], listed)[1]).toEqual({ name: 'nobody', id: 'nobody', served: false });
    expect(describePersonas(['nobody'], undefined)).toEqual([{ name: 'nobody', id: 'nobody', served: true }]);
  });
});
