import { describe, expect, it } from 'vitest';
import {
  formatCursor,
  type JiraSite,
  jiraTicket,
  jiraTime,
  parseCursor,
  requestedFields,
  siteFields,
  syncJql,
} from '../../lib/hosts/apis/jira';

const CLOUD: JiraSite = {
  site: 'acme.atlassian.net',
  browseBase: 'https://acme.atlassian.net',
  storyPointsField: 'customfield_10016',
  epicLinkField: null,
};
const DC: JiraSite = {
  site: 'jira.acme.com',
  browseBase: 'https://jira.acme.com/jira',
  storyPointsField: 'customfield_10002',
  epicLinkField: 'customfield_10014',
};

/** A Cloud search result as /rest/api/3/search/jql answers it for the connector's fields. */
const cloudIssue = {
  expand: 'renderedFields,names,schema,operations,editmeta,changelog,versionedRepresentations',
  id: '10231',
  self: 'https://acme.atlassian.net/rest/api/3/issue/10231',
  key: 'PAY-318',
  fields: {
    summary: 'Settle refunds in the merchant currency',
    status: {
      self: 'https://acme.atlassian.net/rest/api/3/status/10001',
      name: 'In Review',
      id: '10001',
      statusCategory: { id: 4, key: 'indeterminate', colorName: 'yellow', name: 'In Progress' },
    },
    assignee: {
      accountId: '5b10ac8d82e05b22cc7d4ef5',
      displayName: 'Omar Patel',
      active: true,
      accountType: 'atlassian',
    },
    parent: {
      id: '10100',
      key: 'PAY-12',
      fields: { summary: 'Refunds v2', status: { name: 'In Progress' } },
    },
    labels: ['refunds', 'Q3 goals', 'ux/polish'],
    created: '2026-09-01T08:30:00.000+0000',
    updated: '2026-10-02T14:05:06.789+0000',
    resolutiondate: null,
    customfield_10016: 5,
  },
};

/** A Data Center issue: v2 shapes, the server's own zone, an Epic Link, a user with name and key. */
const dcIssue = {
  id: '20417',
  self: 'https://jira.acme.com/jira/rest/api/2/issue/20417',
  key: 'OPS_2-1042',
  fields: {
    summary: 'Rotate the payment gateway certificates',
    status: { name: 'Closed', statusCategory: { id: 3, key: 'done', name: 'Done' } },
    assignee: { name: 'mia.chen', key: 'mchen', displayName: 'Mia Chen', active: true },
    labels: [],
    created: '2026-09-01T10:30:00.000+0100',
    updated: '2026-10-02T15:05:06.789+0100',
    resolutiondate: '2026-10-02T15:00:00.000+0100',
    customfield_10002: 3.5,
    customfield_10014: 'OPS_2-7',
  },
};

describe('jiraTicket', () => {
  it('maps a Cloud issue: account id, parent with its summary, labels as containers, points, ISO times', () => {
    expect(jiraTicket(cloudIssue, CLOUD)).toEqual({
      ref: 'jira:acme.atlassian.net/PAY-318',
      hostId: '10231',
      url: 'https://acme.atlassian.net/browse/PAY-318',
      title: 'Settle refunds in the merchant currency',
      state: 'In Review',
      stateCategory: 'in_progress',
      assignees: [{ id: '5b10ac8d82e05b22cc7d4ef5', login: null, name: 'Omar Patel' }],
      estimate: 5,
      containers: {
        parent: [{ ref: 'jira:acme.atlassian.net/PAY-12', title: 'Refunds v2' }],
        labels: [
          { ref: 'jira:acme.atlassian.net/PAY/label/refunds', title: 'refunds' },
          { ref: 'jira:acme.atlassian.net/PAY/label/Q3%20goals', title: 'Q3 goals' },
          { ref: 'jira:acme.atlassian.net/PAY/label/ux%2Fpolish', title: 'ux/polish' },
        ],
      },
      createdAt: '2026-09-01T08:30:00.000Z',
      updatedAt: '2026-10-02T14:05:06.789Z',
      closedAt: null,
    });
  });

  it('maps a Data Center issue: user key and name, Epic Link, the server zone normalised', () => {
    expect(jiraTicket(dcIssue, DC)).toEqual({
      ref: 'jira:jira.acme.com/OPS_2-1042',
      hostId: '20417',
      url: 'https://jira.acme.com/jira/browse/OPS_2-1042',
      title: 'Rotate the payment gateway certificates',
      state: 'Closed',
      stateCategory: 'done',
      assignees: [{ id: 'mchen', login: 'mia.chen', name: 'Mia Chen' }],
      estimate: 3.5,
      containers: { parent: [], labels: [], epic: [{ ref: 'jira:jira.acme.com/OPS_2-7', title: null }] },
      createdAt: '2026-09-01T09:30:00.000Z',
      updatedAt: '2026-10-02T14:05:06.789Z',
      closedAt: '2026-10-02T14:00:00.000Z',
    });
  });

  it('says none where the issue has none: unassigned, no points, no parent, an empty Epic Link', () => {
    const bare = {
      id: '1',
      key: 'PAY-1',
      fields: {
        ...cloudIssue.fields,
        assignee: null,
        parent: undefined,
        labels: [],
        customfield_10016: null,
        customfield_10014: null,
      },
    };
    const ticket = jiraTicket(bare, { ...CLOUD, epicLinkField: 'customfield_10014' });
    expect(ticket.assignees).toEqual([]);
    expect(ticket.estimate).toBeNull();
    expect(ticket.containers).toEqual({ parent: [], labels: [], epic: [] });
  });

  it('leaves out the epic slot on a site without an Epic Link field', () => {
    expect(jiraTicket(cloudIssue, CLOUD).containers).not.toHaveProperty('epic');
  });

  it('closes a done issue without a resolution date at its update, and reads categories it does not know as open', () => {
    const done = { ...dcIssue, fields: { ...dcIssue.fields, resolutiondate: null } };
    expect(jiraTicket(done, DC).closedAt).toBe('2026-10-02T14:05:06.789Z');
    const odd = {
      ...cloudIssue,
      fields: { ...cloudIssue.fields, status: { name: 'Triage', statusCategory: { key: 'undefined' } } },
    };
    expect(jiraTicket(odd, CLOUD)).toMatchObject({ state: 'Triage', stateCategory: 'open', closedAt: null });
  });

  it('refuses an issue without its updated time, which the sync orders by', () => {
    expect(() => jiraTicket({ id: '1', key: 'PAY-1', fields: { summary: 'x' } }, CLOUD)).toThrow(/updated/);
  });
});

describe('jiraTime', () => {
  it('reads offsets without a colon, with one, and Z', () => {
    expect(jiraTime('2026-10-02T14:05:06.789+0000')).toBe('2026-10-02T14:05:06.789Z');
    expect(jiraTime('2026-10-02T09:35:06.789-0430')).toBe('2026-10-02T14:05:06.789Z');
    expect(jiraTime('2026-10-02T16:05:06.789+02:00')).toBe('2026-10-02T14:05:06.789Z');
    expect(jiraTime('2026-10-02T14:05:06.789Z')).toBe('2026-10-02T14:05:06.789Z');
    expect(jiraTime('not a time')).toBeNull();
    expect(jiraTime(null)).toBeNull();
  });
});

describe('siteFields', () => {
  const field = (id: string, name: string, type: string, custom: string) => ({
    id,
    name,
    custom: true,
    schema: { type, custom, customId: Number(id.slice(12)) },
  });
  const FLOAT = 'com.atlassian.jira.plugin.system.customfieldtypes:float';

  it('takes Cloud’s Story point estimate over the older Story Points', () => {
    expect(
      siteFields([
        { id: 'summary', name: 'Summary', custom: false, schema: { type: 'string' } },
        field('customfield_10028', 'Story Points', 'number', FLOAT),
        field('customfield_10016', 'Story point estimate', 'number', 'com.pyxis.greenhopper.jira:jsw-story-points'),
      ]),
    ).toEqual({ storyPointsField: 'customfield_10016', epicLinkField: null });
  });

  it('takes Data Center’s Story Points and Epic Link, by type where the names are translated', () => {
    expect(
      siteFields([
        field('customfield_10011', 'Epic Name', 'string', 'com.pyxis.greenhopper.jira:gh-epic-label'),
        field('customfield_10002', 'Story Points', 'number', FLOAT),
        field('customfield_10014', 'Epic-Verknüpfung', 'any', 'com.pyxis.greenhopper.jira:gh-epic-link'),
      ]),
    ).toEqual({ storyPointsField: 'customfield_10002', epicLinkField: 'customfield_10014' });
  });

  it('passes over a field named Story Points that holds no number, and finds none where there is none', () => {
    expect(siteFields([field('customfield_10050', 'Story Points', 'string', 'text')])).toEqual({
      storyPointsField: null,
      epicLinkField: null,
    });
    expect(siteFields([])).toEqual({ storyPointsField: null, epicLinkField: null });
  });

  it('asks for the site’s own fields with the ones every issue has', () => {
    expect(requestedFields(DC)).toEqual([
      'summary',
      'status',
      'assignee',
      'parent',
      'labels',
      'created',
      'updated',
      'resolutiondate',
      'customfield_10002',
      'customfield_10014',
    ]);
    expect(requestedFields({ storyPointsField: null, epicLinkField: null })).toHaveLength(8);
  });
});

describe('syncJql', () => {
  it('searches a project or the site, from the minute of a time, oldest change first', () => {
    const at = Date.parse('2026-10-02T14:05:06.789Z');
    const minute = Date.parse('2026-10-02T14:05:00.000Z');
    expect(syncJql('PAY', at)).toBe(`project = "PAY" AND updated >= ${minute} ORDER BY updated ASC, key ASC`);
    expect(syncJql(null, at)).toBe(`updated >= ${minute} ORDER BY updated ASC, key ASC`);
    expect(syncJql('OPS_2', null)).toBe('project = "OPS_2" ORDER BY updated ASC, key ASC');
    expect(syncJql(null, null)).toBe('ORDER BY updated ASC, key ASC');
  });

  it('refuses what is not a project key rather than put it in a query', () => {
    expect(() => syncJql('PAY" OR project = "HR', null)).toThrow(/not a Jira project key/);
  });
});

describe('the cursor', () => {
  it('round-trips a time, and reads anything it did not write as none (a full sync)', () => {
    expect(parseCursor(formatCursor(1_790_000_000_000))).toBe(1_790_000_000_000);
    expect(parseCursor(null)).toBeNull();
    expect(parseCursor('2026-10-02')).toBeNull();
    expect(parseCursor('{"updatedFrom":"soon"}')).toBeNull();
    expect(parseCursor('null')).toBeNull();
  });
});
