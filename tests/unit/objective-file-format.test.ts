import { describe, expect, test } from 'vitest';
import {
  CSV_COLUMNS,
  type ExportObjective,
  type ImportObjectiveRow,
  parseObjectivesFile,
  serializeObjectives,
} from '../../lib/server/objective-file-format';

describe('YAML', () => {
  test('periods block, objectives with key results', () => {
    const content = `
periods:
  - name: 2026-Q4
    startsOn: 2026-10-01
    endsOn: 2026-12-31
objectives:
  - key: growth
    title: Grow revenue
    period: 2026-Q4
    priority: 5
  - key: checkout
    id: 0d6c2a4e-95a7-4c8e-9d51-3f0f2a7b8c11
    title: "  Faster checkout  "
    description: Make paying quick.
    period: 2026-Q4
    owner: ada@example.com
    team: Payments
    priority: 2.5
    status: achieved
    parent: growth
    cadenceDays: 7
    keyResults:
      - { title: p95 under 1 s, start: 3, target: 1, current: 2, unit: s }
      - { title: Conversion, target: "4" }
`;
    expect(parseObjectivesFile('yaml', content)).toEqual({
      periods: [{ name: '2026-Q4', startsOn: '2026-10-01', endsOn: '2026-12-31', row: 1 }],
      objectives: [
        { key: 'growth', title: 'Grow revenue', period: '2026-Q4', priority: 5, row: 1, keyResults: [] },
        {
          key: 'checkout',
          id: '0d6c2a4e-95a7-4c8e-9d51-3f0f2a7b8c11',
          title: 'Faster checkout', // trimmed
          description: 'Make paying quick.',
          period: '2026-Q4',
          owner: 'ada@example.com',
          team: 'Payments',
          priority: 2.5,
          status: 'achieved',
          parent: 'growth',
          cadenceDays: 7,
          row: 2,
          keyResults: [
            { title: 'p95 under 1 s', start: 3, target: 1, current: 2, unit: 's', row: 2 },
            { title: 'Conversion', target: 4, row: 2 },
          ],
        },
      ],
      errors: [],
    });
  });

  test('a bare list of objectives is accepted', () => {
    const parsed = parseObjectivesFile('yaml', '- { title: One, period: P1 }\n- { title: Two, period: P1 }\n');
    expect(parsed.errors).toEqual([]);
    expect(parsed.periods).toEqual([]);
    expect(parsed.objectives.map((o) => [o.row, o.title])).toEqual([
      [1, 'One'],
      [2, 'Two'],
    ]);
  });

  test('per-row errors name the row and the field; good rows still parse', () => {
    const content = `
objectives:
  - title: Fine
    period: Q4
  - title: Bad priority
    period: Q4
    priority: lots
  - period: Q4
  - title: Odd status
    period: Q4
    status: paused
  - title: Negative
    period: Q4
    priority: -2
  - title: Bad key result
    period: Q4
    keyResults:
      - { title: Ok, target: 1 }
      - { title: Broken, target: soon }
  - title: Typo
    period: Q4
    priorty: 3
  - title: Fractional cadence
    period: Q4
    cadenceDays: 1.5
`;
    const parsed = parseObjectivesFile('yaml', content);
    expect(parsed.objectives.map((o) => o.title)).toEqual(['Fine']);
    expect(parsed.errors.map((e) => [e.row, e.field])).toEqual([
      [2, 'priority'],
      [3, 'title'],
      [4, 'status'],
      [5, 'priority'],
      [6, 'keyResults.1.target'],
      [7, '(row)'],
      [8, 'cadenceDays'],
    ]);
    const message = (row: number) => parsed.errors.find((e) => e.row === row)?.message;
    expect(message(2)).toBe('must be a number');
    expect(message(5)).toBe('must be a positive number');
    expect(message(6)).toBe('must be a number');
    expect(message(7)).toMatch(/priorty/);
    expect(message(8)).toBe('must be a whole number');
  });

  test('period rows are checked too', () => {
    const parsed = parseObjectivesFile(
      'yaml',
      'periods:\n  - { name: Q4, startsOn: 2026-10-01, endsOn: 2026-12-31 }\n  - { name: Q1, startsOn: 1 Jan, endsOn: 2027-03-31 }\nobjectives: []\n',
    );
    expect(parsed.periods.map((p) => p.name)).toEqual(['Q4']);
    expect(parsed.errors.map((e) => [e.row, e.field])).toEqual([[2, 'periods.startsOn']]);
  });

  test('invalid YAML, duplicate keys and the wrong shape are file errors', () => {
    const broken = parseObjectivesFile('yaml', 'objectives:\n  - title: Fine\n    period: Q4\n  - title: x: y\n');
    expect(broken.objectives).toEqual([]);
    expect(broken.errors).toHaveLength(1);
    // the row of a file error is the line the parser stopped at
    expect(broken.errors[0]).toMatchObject({
      row: 4,
      field: '(file)',
      message: expect.stringMatching(/^not valid YAML: /),
    });

    const duplicate = parseObjectivesFile('yaml', 'objectives:\n  - title: A\n    title: B\n    period: Q4\n');
    expect(duplicate.objectives).toEqual([]);
    expect(duplicate.errors[0]).toMatchObject({ row: 3, field: '(file)' });

    for (const content of ['just text', 'objectives: 3', 'items: []', '']) {
      const parsed = parseObjectivesFile('yaml', content);
      expect(parsed.objectives).toEqual([]);
      expect(parsed.errors).toEqual([{ row: 1, field: '(file)', message: expect.stringMatching(/^expected a list/) }]);
    }
  });

  test('NUL is refused, not passed on', () => {
    const parsed = parseObjectivesFile('yaml', 'objectives:\n  - { title: "a\\0b", period: Q4 }\n');
    expect(parsed.objectives).toEqual([]);
    expect(parsed.errors).toEqual([{ row: 1, field: 'title', message: 'must not contain NUL characters' }]);
  });
});

describe('CSV', () => {
  const header = 'type,key,title,period,priority,status,parent,objective,start,target,current,unit';

  test('objective and key result rows; key results name their objective by key or title', () => {
    const content = [
      header,
      'objective,growth,Grow revenue,2026-Q4,5,active,,,,,,',
      'objective,checkout,Faster checkout,2026-Q4,3,,growth,,,,,',
      'key_result,,p95 under 1 s,,,,,checkout,3,1,2,s',
      'key_result,,Conversion,,,,,Grow revenue,2,3,,%',
      '',
      ',,Untyped is an objective,2026-Q4,,,,,,,,',
    ].join('\n');
    expect(parseObjectivesFile('csv', content)).toEqual({
      periods: [],
      objectives: [
        {
          key: 'growth',
          title: 'Grow revenue',
          period: '2026-Q4',
          priority: 5,
          status: 'active',
          row: 2,
          keyResults: [{ title: 'Conversion', start: 2, target: 3, unit: '%', row: 5 }],
        },
        {
          key: 'checkout',
          title: 'Faster checkout',
          period: '2026-Q4',
          priority: 3,
          parent: 'growth',
          row: 3,
          keyResults: [{ title: 'p95 under 1 s', start: 3, target: 1, current: 2, unit: 's', row: 4 }],
        },
        // the fifth record, but the blank line 6 still counts: row 7
        { title: 'Untyped is an objective', period: '2026-Q4', row: 7, keyResults: [] },
      ],
      errors: [],
    });
  });

  test('per-row errors name the row and the field', () => {
    const content = [
      header,
      'objective,ok,Fine,Q4,1,,,,,,,',
      'objective,,Bad priority,Q4,high,,,,,,,',
      'objective,,,Q4,1,,,,,,,',
      'objective,,Odd status,Q4,1,paused,,,,,,',
      'key_result,,Orphan,,,,,nobody,0,1,,',
      'key_result,,Bad target,,,,,ok,0,soon,,',
      'milestone,,What,Q4,,,,,,,,',
      'objective,,No period,,1,,,,,,,',
    ].join('\n');
    const parsed = parseObjectivesFile('csv', content);
    expect(parsed.objectives.map((o) => o.title)).toEqual(['Fine']);
    expect(parsed.objectives[0]?.keyResults).toEqual([]);
    expect(parsed.errors.map((e) => [e.row, e.field])).toEqual([
      [3, 'priority'],
      [4, 'title'],
      [5, 'status'],
      [6, 'objective'],
      [7, 'target'],
      [8, 'type'],
      [9, 'period'],
    ]);
    expect(parsed.errors[0]?.message).toBe('must be a number');
    expect(parsed.errors[1]?.message).toBe('must not be empty');
    expect(parsed.errors[3]?.message).toBe('names no objective of an earlier row: "nobody"');
    expect(parsed.errors[4]?.message).toBe('must be a number');
    expect(parsed.errors[5]?.message).toBe('must be objective or key_result');
  });

  test('rows are counted as an editor or a spreadsheet shows them, blank lines included', () => {
    const content = [header, 'objective,a,A,Q4,,,,,,,,', '', '', 'objective,b,B,Q4,x,,,,,,,', ''].join('\n');
    // lines: 1 header, 2 a, 3 and 4 blank, 5 b
    expect(parseObjectivesFile('csv', content).errors).toEqual([
      { row: 5, field: 'priority', message: 'must be a number' },
    ]);
  });

  test('a key result may only name an objective of an earlier row', () => {
    const content = [header, 'key_result,,Early,,,,,later,0,1,,', 'objective,later,Later,Q4,,,,,,,,'].join('\n');
    const parsed = parseObjectivesFile('csv', content);
    expect(parsed.objectives[0]?.keyResults).toEqual([]);
    expect(parsed.errors).toEqual([
      { row: 2, field: 'objective', message: 'names no objective of an earlier row: "later"' },
    ]);
  });

  test('unknown columns are refused, naming them', () => {
    const parsed = parseObjectivesFile('csv', 'type,title,period,owner_email,Priority\nobjective,A,Q4,a@b.c,1\n');
    expect(parsed.objectives).toEqual([]);
    expect(parsed.errors).toEqual([{ row: 1, field: '(header)', message: 'unknown columns: owner_email, Priority' }]);
  });

  test('malformed CSV is a file error', () => {
    const parsed = parseObjectivesFile('csv', 'type,title,period\nobjective,"unclosed,Q4\n');
    expect(parsed.objectives).toEqual([]);
    expect(parsed.errors).toHaveLength(1);
    expect(parsed.errors[0]).toMatchObject({
      row: 1,
      field: '(file)',
      message: expect.stringMatching(/^not valid CSV: /),
    });
  });

  test('a byte-order mark and cell padding are ignored', () => {
    const parsed = parseObjectivesFile('csv', '\uFEFFtitle , period\n  Padded title  ,  Q4 \n');
    expect(parsed.errors).toEqual([]);
    expect(parsed.objectives).toEqual([{ title: 'Padded title', period: 'Q4', row: 2, keyResults: [] }]);
  });

  test('NUL in a cell is refused', () => {
    const parsed = parseObjectivesFile('csv', 'title,period\n"a\u0000b",Q4\n');
    expect(parsed.errors).toEqual([{ row: 2, field: 'title', message: 'must not contain NUL characters' }]);
  });
});

describe('round trip: serializeObjectives then parseObjectivesFile', () => {
  const objectives: ExportObjective[] = [
    {
      id: '0d6c2a4e-95a7-4c8e-9d51-3f0f2a7b8c11',
      title: '<script>alert("x")</script> & <b>bold</b>',
      description:
        'Line one, with "quotes", commas; \'single\'\nand a second line 🚀👩🏽‍💻\n- not a list\n# not a comment',
      period: '2026-Q4',
      owner: 'ada@example.com',
      team: 'Payments, EU',
      priority: 2.5,
      status: 'active',
      parent: null,
      cadenceDays: 14,
      keyResults: [
        {
          id: '5b0a1f3c-7e2d-4a9b-8c6d-1e2f3a4b5c6d',
          title: 'p95 "under" 1,5 s',
          start: 3,
          target: 1,
          current: 2.25,
          unit: 's',
        },
        {
          id: '9f8e7d6c-5b4a-4321-8fed-cba987654321',
          title: 'שיעור המרה \u202Egnp.exe\u202C',
          start: -5,
          target: 0,
          current: 0,
          unit: '',
        },
      ],
    },
    {
      id: '1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d',
      title: 'مرحبا بالعالم — تحسين الدفع',
      description: '',
      period: '2027',
      owner: null,
      team: 'null',
      priority: 1,
      status: 'dropped',
      parent: 'Grow "revenue", fast',
      cadenceDays: 30,
      keyResults: [],
    },
    {
      id: '2b3c4d5e-6f7a-4b8c-9d0e-1f2a3b4c5d6e',
      title: 'true',
      description: '=HYPERLINK("http://evil.example","click"),@SUM(1+1)',
      period: 'yes',
      owner: 'Zoë Ørsted-Łukasz',
      team: null,
      priority: 1_000_000,
      status: 'missed',
      parent: '0d6c2a4e-95a7-4c8e-9d51-3f0f2a7b8c11',
      cadenceDays: 1,
      keyResults: [
        {
          id: '3c4d5e6f-7a8b-4c9d-8e1f-2a3b4c5d6e7f',
          title: '100%',
          start: 0,
          target: 1e-7,
          current: 1e-9,
          unit: '🙂',
        },
      ],
    },
  ];

  /** The import rows written back in export form: what the file says, nothing more. */
  function asExport(rows: ImportObjectiveRow[]): ExportObjective[] {
    return rows.map((o) => ({
      id: o.id ?? '(missing)',
      title: o.title,
      description: o.description ?? '',
      period: o.period,
      owner: o.owner ?? null,
      team: o.team ?? null,
      priority: o.priority ?? Number.NaN,
      status: o.status ?? '(missing)',
      parent: o.parent ?? null,
      cadenceDays: o.cadenceDays ?? Number.NaN,
      keyResults: o.keyResults.map((kr) => ({
        id: kr.id ?? '(missing)',
        title: kr.title,
        start: kr.start ?? Number.NaN,
        target: kr.target,
        current: kr.current ?? Number.NaN,
        unit: kr.unit ?? '',
      })),
    }));
  }

  test.each(['yaml', 'csv'] as const)('%s gives the same objectives back', (format) => {
    const content = serializeObjectives(format, objectives);
    const parsed = parseObjectivesFile(format, content);
    expect(parsed.errors).toEqual([]);
    expect(asExport(parsed.objectives)).toEqual(objectives);
    // and a second trip changes nothing
    expect(serializeObjectives(format, asExport(parsed.objectives))).toBe(content);
  });

  test('CSV: the header is CSV_COLUMNS, one row per objective and per key result', () => {
    const lines = serializeObjectives('csv', [objectives[1] as ExportObjective])
      .trimEnd()
      .split('\n');
    expect(lines[0]).toBe(CSV_COLUMNS.join(','));
    expect(lines).toHaveLength(2);
    const parsed = parseObjectivesFile('csv', serializeObjectives('csv', objectives));
    // rows: header 1; objective 2, its key results 3 and 4 (the description's newlines are quoted,
    // one record each); objective 5; objective 6 and its key result 7
    expect(parsed.objectives.map((o) => [o.row, o.keyResults.map((kr) => kr.row)])).toEqual([
      [2, [3, 4]],
      [5, []],
      [6, [7]],
    ]);
    // the key column carries the id so key results find their objective
    expect(parsed.objectives.map((o) => o.key)).toEqual(objectives.map((o) => o.id));
  });

  test('empty list', () => {
    expect(parseObjectivesFile('yaml', serializeObjectives('yaml', []))).toEqual({
      periods: [],
      objectives: [],
      errors: [],
    });
    expect(parseObjectivesFile('csv', serializeObjectives('csv', []))).toEqual({
      periods: [],
      objectives: [],
      errors: [],
    });
  });
});
