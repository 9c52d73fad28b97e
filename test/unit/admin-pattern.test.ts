import { describe, expect, it } from 'vitest';
import {
  compileAdminPattern,
  matchesAdminPattern,
  patternInWords,
} from '#shared/metrics/admin-pattern.ts';
import { defaultProductionPattern } from '#shared/metrics/deployment.ts';
import { defaultIncidentRules } from '#shared/metrics/production-history.ts';
import { deliveryRules } from '#shared/store/installations.ts';
import { whatCounts } from '#shared/views/delivery-rows.ts';

const texts = [
  'prod',
  'PROD',
  'Production',
  'production-eu',
  'preprod',
  'staging',
  'live-1',
  'incident',
  'Incident: outage',
  'sev1',
  'SEV2',
  'sev3',
  'A',
  '\u0001',
  'x-ray',
  '',
];

/** What the pattern matched as JavaScript's RegExp, the engine patterns ran in before. */
function asJavaScript(source: string): string[] {
  const pattern = new RegExp(source, 'i');
  return texts.filter((text) => pattern.test(text));
}

const matched = (source: string) => texts.filter((text) => matchesAdminPattern(source, text));

/** The pattern matches the texts JavaScript matched, and some. */
function expectAsJavaScript(source: string): void {
  expect(matched(source), source).toEqual(asJavaScript(source));
  expect(matched(source).length, `${source} matches some text`).toBeGreaterThan(0);
}

describe('an admin-set pattern', () => {
  it('matches as JavaScript did, ignoring case, on the defaults and patterns admins write', () => {
    for (const source of [
      defaultProductionPattern,
      defaultIncidentRules.labelPattern,
      '^(prod|live)-',
      '^sev[12]$',
      '\\bincident\\b',
      '^(?:prod|production)(-[a-z]+)?$',
      '(?<region>eu|us)$',
    ])
      expectAsJavaScript(source);
  });

  it('keeps JavaScript-only syntax a pattern may have been stored with', () => {
    for (const source of ['\\u0041', '\\cA', '\\x\\-ray', '(?<=x-)ray', '(?<!pre)prod$', '[^]']) {
      expect(compileAdminPattern(source).problem, source).toBeUndefined();
      expectAsJavaScript(source);
    }
  });

  it('runs a pattern that backtracks catastrophically in JavaScript, matching as it would', () => {
    expect(compileAdminPattern('^(a|a)+$').problem).toBeUndefined();
    expect(matchesAdminPattern('^(a|a)+$', 'aAaa')).toBe(true);
    expect(matchesAdminPattern('^(a|a)+$', 'aaab')).toBe(false);
  });

  it('refuses what cannot run in linear time, saying why', () => {
    expect(compileAdminPattern('^(?!staging)').problem).toBe(
      '^(?!staging) is not supported: patterns run in linear time, without lookaheads such as (?=…) and (?!…)',
    );
    expect(compileAdminPattern('prod(?=-eu)').problem).toContain('without lookaheads');
    for (const source of ['(a)\\1', '(?<n>a)\\k<n>', '(a)(b)(c)(d)(e)(f)(g)(h)\\8']) {
      expect(compileAdminPattern(source).problem, source).toBe(
        `${source} is not supported: patterns run in linear time, without backreferences such as \\1 and \\k<name>`,
      );
    }
    expect(compileAdminPattern('(?<=(pre))prod').problem).toContain(
      'without capturing groups in lookbehinds: write (?:…) there',
    );
    // Linear, but a program that large makes every name's test take milliseconds.
    for (const source of ['.{999}'.repeat(28), '^prod-\\d{1,101}$', 'a{101,}']) {
      expect(compileAdminPattern(source).problem, source).toBe(
        `${source} is not supported: patterns run in linear time, without counted repeats over {100}`,
      );
    }
    for (const source of ['^prod-\\d{1,3}$', 'a{100}', 'x\\{999}']) {
      expect(compileAdminPattern(source).matcher, source).toBeDefined();
    }
  });

  it('refuses what is no regular expression, with the reason', () => {
    expect(compileAdminPattern('(prod').problem).toBe(
      'not a regular expression: (prod — missing closing )',
    );
    expect(compileAdminPattern('sev[12').problem).toBe(
      'not a regular expression: sev[12 — missing closing ]',
    );
    // A backslash that escapes a backslash starts no backreference.
    expect(compileAdminPattern('\\\\1').problem).toBeUndefined();
  });

  it('matches nothing when stored before it was refused, and the rules say so', () => {
    const rules = deliveryRules({ incidentLabels: '^(?!question)' });

    expect(matched('^(?!question)')).toEqual([]);
    expect(patternInWords('^sev[12]$')).toBe('/^sev[12]$/i');
    expect(whatCounts(rules)).toContain(
      'an incident is an issue with a label matching /^(?!question)/i (which matches nothing until changed: ^(?!question) is not supported: patterns run in linear time, without lookaheads such as (?=…) and (?!…)).',
    );
  });
});
