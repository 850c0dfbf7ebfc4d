/**
 * The three host stand-ins as one process, for the demo and the benchmarks (no real host is
 * reachable here): GitHub with the organisation `acme`, Jira Cloud at acme.atlassian.net with the
 * project PAY, Asana with one project, each seeded with tickets and answering like its host.
 *
 *   npm run hosts [-- --github-issues 1200 --jira-issues 600 --asana-tasks 150 --port 4100]
 *
 * Lines on stdin change the inventory, as people would on the hosts (the benchmarks use them):
 * `github edit <n>` edits the first n issues of acme/api and answers `edited <n>` on stdout.
 */
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { startFakeAsana } from './asana';
import { startFakeGithub } from './github';
import { startFakeJira } from './jira';

const { values: args } = parseArgs({
  options: {
    'github-issues': { type: 'string', default: '1200' },
    'jira-issues': { type: 'string', default: '600' },
    'asana-tasks': { type: 'string', default: '150' },
    port: { type: 'string', default: '4100' },
  },
});
const count = (name: string, value: string | undefined) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} must be a whole number, not ${value}`);
  return n;
};
const githubIssues = count('github-issues', args['github-issues']);
const jiraIssues = count('jira-issues', args['jira-issues']);
const asanaTasks = count('asana-tasks', args['asana-tasks']);
const port = count('port', args.port);
const TOKENS = { github: 'demo-github-token', jira: 'demo-jira-token', asana: 'demo-asana-token' };
const JIRA_EMAIL = 'demo@acme.example';

const github = await startFakeGithub({ token: TOKENS.github, port: port ? port + 1 : 0 });
const jira = await startFakeJira({
  mode: 'cloud',
  email: JIRA_EMAIL,
  token: TOKENS.jira,
  site: 'acme.atlassian.net',
  port: port ? port + 2 : 0,
});
const asana = await startFakeAsana({ token: TOKENS.asana, port: port ? port + 3 : 0 });
// Most of the organisation's work is in its API repository; the web app has a share of its own.
github.seed('acme/api', Math.ceil(githubIssues * 0.75));
github.seed('acme/web', Math.floor(githubIssues * 0.25));
jira.seed('PAY', jiraIssues);
const project = asana.addProject('Payments — Q3 Roadmap');
asana.seed(project, asanaTasks);

const cli = 'npm run throughline --';
console.log(
  [
    'Local stand-ins for the hosts’ APIs, answering like them (no real host is reachable from here):',
    `  GitHub  ${github.baseUrl}  token ${TOKENS.github}: organisation acme, ${githubIssues} issues and pull requests`,
    `  Jira    ${jira.baseUrl}  ${JIRA_EMAIL} with token ${TOKENS.jira}: site acme.atlassian.net, project PAY, ${jiraIssues} issues`,
    `  Asana   ${asana.url}/api/1.0  token ${TOKENS.asana}: project ${project} “Payments — Q3 Roadmap”, ${asanaTasks} tasks and their subtasks`,
    '',
    'Connect the demo workspace to them, then sync (with the goals API running, or --wait to run it here):',
    `  ${cli} connect github --workspace demo --base-url ${github.baseUrl} --site github.com --token ${TOKENS.github}`,
    `  ${cli} connect jira --workspace demo --base-url ${jira.baseUrl} --site acme.atlassian.net --email ${JIRA_EMAIL} --token ${TOKENS.jira}`,
    `  ${cli} scope add --workspace demo --source asana --host app.asana.com --kind project --value ${project}`,
    `  ${cli} connect asana --workspace demo --base-url ${asana.url}/api/1.0 --site app.asana.com --token ${TOKENS.asana}`,
    `  ${cli} sync --workspace demo --wait`,
    '',
    'Stop with Ctrl+C.',
  ].join('\n'),
);

const lines = createInterface({ input: process.stdin });
lines.on('line', (line) => {
  const [host, action, n] = line.trim().split(/\s+/);
  if (host === 'github' && action === 'edit') {
    const edits = count('edit', n);
    github.advance(60_000);
    for (let number = 1; number <= edits; number++)
      github.edit('acme/api', number, { title: `Edited issue ${number}` });
    console.log(`edited ${edits}`);
  } else if (line.trim()) console.error(`unknown command: ${line.trim()} (try: github edit <n>)`);
});

const stop = async () => {
  lines.close();
  await Promise.all([github.close(), jira.close(), asana.close()]);
  process.exit(0);
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
