import { describe, expect, it } from 'vitest';
import { TemplateMiner, fnv1a64 } from './index.ts';

function learn(messages: readonly string[], miner = new TemplateMiner()): TemplateMiner {
  for (const m of messages) miner.add(m);
  return miner;
}

const sshd = [
  'Failed password for root from 203.0.113.7 port 52211 ssh2',
  'Failed password for root from 198.51.100.23 port 40022 ssh2',
  'Failed password for invalid user oracle from 203.0.113.7 port 52299 ssh2',
  'Failed password for invalid user guest from 192.0.2.14 port 1022 ssh2',
  'Accepted publickey for deploy from 10.0.4.2 port 50112 ssh2: RSA SHA256:q9T2x0aaZ',
  'Received disconnect from 203.0.113.7 port 52211:11: Bye Bye [preauth]',
  'Received disconnect from 198.51.100.23 port 40022:11: Bye Bye [preauth]',
  'pam_unix(sshd:session): session opened for user deploy by (uid=0)',
  'pam_unix(sshd:session): session closed for user deploy',
];

const wildfly = [
  'WFLYSRV0027: Starting deployment of "shop.war" (runtime-name: "shop.war")',
  'WFLYSRV0027: Starting deployment of "billing-api.ear" (runtime-name: "billing-api.ear")',
  'WFLYSRV0010: Deployed "shop.war" (runtime-name : "shop.war")',
  'WFLYSRV0010: Deployed "billing-api.ear" (runtime-name : "billing-api.ear")',
  'WFLYJCA0001: Bound data source [java:jboss/datasources/ShopDS]',
  'WFLYJCA0010: Unbound data source [java:jboss/datasources/ShopDS]',
  'WFLYUT0021: Registered web context: \'/shop\' for server \'default-server\'',
  'WFLYUT0021: Registered web context: \'/billing\' for server \'default-server\'',
  'WFLYSRV0025: WildFly Full 26.1.3.Final (WildFly Core 18.1.2.Final) started in 10315ms - Started 544 of 760 services',
  'WFLYSRV0025: WildFly Full 26.1.3.Final (WildFly Core 18.1.2.Final) started in 9120ms - Started 550 of 770 services',
];

const kernel = [
  'Out of memory: Killed process 21873 (java) total-vm:8123400kB, anon-rss:4100200kB',
  'Out of memory: Killed process 1022 (postgres) total-vm:912000kB, anon-rss:70100kB',
  'EXT4-fs error (device sda1): ext4_find_entry:1455: inode #2: comm ls: reading directory lblock 0',
  'EXT4-fs error (device sdb3): ext4_find_entry:1455: inode #7731: comm find: reading directory lblock 0',
  'e1000e: eth0 NIC Link is Up 1000 Mbps Full Duplex, Flow Control: Rx/Tx',
  'e1000e: eth1 NIC Link is Down',
];

const hadoop = [
  'Created MRAppMaster for application appattempt_1500000000000_0007_000001',
  'Created MRAppMaster for application appattempt_1500000000000_0008_000002',
  'Assigned container container_1500000000000_0007_01_000002 to attempt_1500000000000_0007_m_000000_0',
  'Assigned container container_1500000000000_0007_01_000005 to attempt_1500000000000_0007_m_000003_0',
  'Receiving block blk_-1608999687919862906 src: /10.250.19.102:54106 dest: /10.250.19.102:50010',
  'Receiving block blk_7503483334202473044 src: /10.251.215.16:55695 dest: /10.251.215.16:50010',
];

describe('TemplateMiner grouping', () => {
  const miner = learn([...sshd, ...wildfly, ...kernel, ...hadoop]);
  const idOf = (m: string): string => miner.match(m)!.id;

  it('groups messages that differ only in variable fields', () => {
    expect(idOf(sshd[0]!)).toBe(idOf(sshd[1]!));
    expect(miner.match(sshd[0]!)!.template).toBe('Failed password for root from <*> port <*>');
    expect(idOf(sshd[5]!)).toBe(idOf(sshd[6]!));
    expect(idOf(wildfly[0]!)).toBe(idOf(wildfly[1]!));
    expect(miner.match(wildfly[0]!)!.template).toBe('WFLYSRV0027: Starting deployment of "<*>" (runtime-name: "<*>")');
    expect(idOf(wildfly[6]!)).toBe(idOf(wildfly[7]!));
    expect(idOf(wildfly[8]!)).toBe(idOf(wildfly[9]!));
    expect(idOf(kernel[0]!)).toBe(idOf(kernel[1]!));
    expect(idOf(kernel[2]!)).toBe(idOf(kernel[3]!));
    expect(idOf(hadoop[0]!)).toBe(idOf(hadoop[1]!));
    expect(miner.match(hadoop[0]!)!.template).toBe('Created MRAppMaster for application appattempt_<*>');
    expect(idOf(hadoop[2]!)).toBe(idOf(hadoop[3]!));
    expect(idOf(hadoop[4]!)).toBe(idOf(hadoop[5]!));
    expect(miner.match(hadoop[4]!)!.template).toBe('Receiving block blk_<*> src: <*> dest: <*>');
  });

  it('keeps messages with different constants apart', () => {
    expect(idOf(sshd[0]!)).not.toBe(idOf(sshd[2]!)); // root vs invalid user
    expect(idOf(sshd[7]!)).not.toBe(idOf(sshd[8]!)); // opened vs closed
    expect(idOf(wildfly[0]!)).not.toBe(idOf(wildfly[2]!)); // WFLYSRV0027 vs WFLYSRV0010
    expect(idOf(wildfly[4]!)).not.toBe(idOf(wildfly[5]!)); // bound vs unbound
    expect(idOf(kernel[4]!)).not.toBe(idOf(kernel[5]!));
    expect(new Set(miner.templates().map((t) => t.id)).size).toBe(miner.size);
    expect(miner.size).toBe(19);
  });

  it('counts messages per template', () => {
    const counts = new Map(miner.templates().map((t) => [t.template, t.count]));
    expect(counts.get('Failed password for root from <*> port <*>')).toBe(2);
    expect(counts.get('<*>: <*> NIC Link is Down')).toBe(1);
    expect([...counts.values()].reduce((a, b) => a + b, 0)).toBe(sshd.length + wildfly.length + kernel.length + hadoop.length);
  });

  it('does not merge messages whose message ids differ even when the rest is equal', () => {
    const m = learn(['WFLYCTL0013: Operation ("add") failed - address: ([("subsystem" => "undertow")])']);
    expect(m.add('WFLYCTL0030: Operation ("add") failed - address: ([("subsystem" => "undertow")])').isNew).toBe(true);
  });
});

describe('template ids', () => {
  it('are FNV-1a 64 of the template text: same template, same id, in every instance and process', () => {
    const a = learn(sshd);
    const b = learn([...sshd].reverse());
    const t = 'Failed password for root from <*> port <*>';
    expect(a.match(sshd[0]!)!.id).toBe(fnv1a64(t));
    expect(b.match(sshd[0]!)!.id).toBe(fnv1a64(t));
    expect(fnv1a64(t)).toBe('158fe1835d92adbd'); // pinned: ids must not change between releases
  });

  it('matches the reference FNV-1a 64 vectors (UTF-8 bytes)', () => {
    expect(fnv1a64('')).toBe('cbf29ce484222325');
    expect(fnv1a64('a')).toBe('af63dc4c8601ec8c');
    expect(fnv1a64('foobar')).toBe('85944171f73967e8');
    expect(fnv1a64('€ ü')).toBe('4d77c7c8c75d8a3e');
  });

  it('follow generalisation: add() reports the previous id, the cluster serial stays', () => {
    const m = new TemplateMiner();
    const first = m.add('session opened for user alice by console');
    expect(first).toMatchObject({ isNew: true, template: 'session opened for user alice by console' });
    const second = m.add('session opened for user bob by console');
    expect(second.isNew).toBe(false);
    expect(second.template).toBe('session opened for user <*> by console');
    expect(second.previousId).toBe(first.id);
    expect(second.id).not.toBe(first.id);
    expect(second.cluster).toBe(first.cluster);
    const third = m.add('session opened for user carol by console');
    expect(third.previousId).toBeUndefined();
    expect(third.id).toBe(second.id);
  });
});

describe('match()', () => {
  it('does not learn or change any state', () => {
    const m = learn([...sshd, ...wildfly]);
    const before = JSON.stringify(m.toJSON());
    const size = m.size;
    expect(m.match('a message nobody has seen before at all')).toBeUndefined();
    // would generalise 'Failed password for root …' under add(): match leaves it alone
    const hit = m.match('Failed password for admin from 203.0.113.7 port 52211 ssh2');
    expect(hit?.template).toBe('Failed password for root from <*> port <*>');
    for (const msg of kernel) m.match(msg);
    expect(m.size).toBe(size);
    expect(JSON.stringify(m.toJSON())).toBe(before);
    expect(m.match('a message nobody has seen before at all')).toBeUndefined();
  });

  it('returns what add() would choose, deterministically', () => {
    const m = learn([...sshd, ...wildfly, ...kernel, ...hadoop]);
    const r1 = [...sshd, ...hadoop].map((x) => m.match(x));
    const r2 = [...sshd, ...hadoop].map((x) => m.match(x));
    expect(r2).toEqual(r1);
    const fresh = new TemplateMiner();
    for (const x of [...sshd, ...hadoop, ...kernel]) {
      const added = fresh.add(x);
      expect(fresh.match(x)?.cluster).toBe(added.cluster);
    }
  });
});

describe('toJSON / fromJSON', () => {
  const corpus = [...sshd, ...wildfly, ...kernel, ...hadoop];
  const probes = [
    ...corpus,
    'Failed password for root from 192.0.2.200 port 3333 ssh2',
    'WFLYSRV0027: Starting deployment of "x.jar" (runtime-name: "x.jar")',
    'completely unknown line',
    '',
  ];

  it('round-trips through JSON with identical match results', () => {
    const a = learn(corpus, new TemplateMiner({ maxClusters: 12, extraMasks: [{ pattern: /^SHA256:\S+$/ }] }));
    const b = TemplateMiner.fromJSON(JSON.parse(JSON.stringify(a.toJSON())));
    expect(probes.map((p) => b.match(p))).toEqual(probes.map((p) => a.match(p)));
    expect(b.templates()).toEqual(a.templates());
    expect(b.options).toEqual(a.options);
    expect(b.toJSON()).toEqual(a.toJSON());
    // both keep learning the same way (recency order and serials are part of the state)
    const more = ['e1000e: eth2 NIC Link is Down', 'brand new message one', 'brand new message two', ...hadoop];
    expect(more.map((x) => b.add(x))).toEqual(more.map((x) => a.add(x)));
    expect(b.toJSON()).toEqual(a.toJSON());
  });

  it('rejects malformed state with a clear error', () => {
    const good = learn(sshd).toJSON();
    expect(() => TemplateMiner.fromJSON({})).toThrow(/invalid template miner state/);
    expect(() => TemplateMiner.fromJSON({ ...good, version: 2 })).toThrow(/invalid template miner state/);
    expect(() => TemplateMiner.fromJSON({ ...good, extra: 1 })).toThrow(/invalid template miner state/);
    expect(() => TemplateMiner.fromJSON({ ...good, leaves: good.leaves.slice(1) })).toThrow(/in no leaf/);
    const badPath = good.leaves.map((l, i) => (i === 0 ? { ...l, path: [...l.path, 'x'] } : l));
    expect(() => TemplateMiner.fromJSON({ ...good, leaves: badPath })).toThrow(/leaf path/);
    const badOpts = { ...good, options: { ...good.options, simThreshold: 2 } };
    expect(() => TemplateMiner.fromJSON(badOpts)).toThrow(/simThreshold/);
    const badRe = { ...good, options: { ...good.options, extraMasks: [{ source: '(', flags: 'g', replacement: '' }] } };
    expect(() => TemplateMiner.fromJSON(badRe)).toThrow(/invalid template miner state/);
    const tooMany = { ...good, options: { ...good.options, maxChildren: 1 } };
    expect(() => TemplateMiner.fromJSON(tooMany)).toThrow(/maxChildren/);
  });
});

describe('bounded memory', () => {
  it('keeps at most maxClusters clusters and evicts rarely used ones first', () => {
    const m = new TemplateMiner({ maxClusters: 8 });
    const frequent = 'heartbeat from node alpha ok';
    for (let i = 0; i < 500; i++) {
      m.add(frequent);
      // every message below is its own template (different words, same shape)
      m.add(`event ${String.fromCharCode(97 + (i % 26))}${String.fromCharCode(97 + ((i / 26) | 0) % 26)} happened`);
      expect(m.clusterCount).toBeLessThanOrEqual(8);
    }
    expect(m.size).toBeLessThanOrEqual(8);
    expect(m.match(frequent)?.template).toBe(frequent);
    const state = m.toJSON();
    expect(state.clusters.length).toBeLessThanOrEqual(8);
    expect(state.leaves.reduce((s, l) => s + l.clusters.length, 0)).toBe(state.clusters.length);
    expect(TemplateMiner.fromJSON(state).match(frequent)?.template).toBe(frequent);
  });

  it('with evictionSample 1 evicts the least recently used cluster', () => {
    const m = new TemplateMiner({ maxClusters: 2, evictionSample: 1 });
    m.add('alpha one two');
    m.add('beta three four five');
    m.add('alpha one two');
    m.add('gamma six seven eight nine');
    expect(m.match('alpha one two')).toBeDefined();
    expect(m.match('beta three four five')).toBeUndefined();
  });
});

describe('options', () => {
  it('validates ranges', () => {
    expect(() => new TemplateMiner({ depth: 2 })).toThrow(RangeError);
    expect(() => new TemplateMiner({ simThreshold: 0 })).toThrow(RangeError);
    expect(() => new TemplateMiner({ maxClusters: 0 })).toThrow(RangeError);
    expect(() => new TemplateMiner({ extraMasks: [{ pattern: '(' }] })).toThrow(SyntaxError);
  });

  it('routes on the first depth-2 tokens: a variable word there splits templates unless depth is lowered', () => {
    const d4 = learn(['user alice logged in from console', 'user bob logged in from console']);
    expect(d4.size).toBe(2);
    const d3 = learn(['user alice logged in from console', 'user bob logged in from console'], new TemplateMiner({ depth: 3 }));
    expect(d3.size).toBe(1);
    expect(d3.templates()[0]!.template).toBe('user <*> logged in from console');
  });

  it('caps constant children per tree node', () => {
    const m = new TemplateMiner({ maxChildren: 2, simThreshold: 0.5 });
    m.add('alpha x1 one');
    m.add('beta x2 two');
    m.add('gamma x3 three'); // third first token: shares the wildcard child
    m.add('delta x4 four');
    const leaves = m.toJSON().leaves.map((l) => l.path[0]);
    expect(leaves.filter((p) => p === '<*>')).toHaveLength(1);
    expect(new Set(leaves)).toEqual(new Set(['alpha', 'beta', '<*>']));
  });
});
