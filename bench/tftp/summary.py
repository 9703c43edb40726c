#!/usr/bin/env python3
# bench/tftp/summary.py RUNS.TSV - the table of bench/tftp/run.sh: per
# workload and server the median MB/s (10^6 bytes per second, aggregate for
# the parallel workloads), the median server CPU ms per MB, the failures
# summed over the rounds, the median CPU ms per MB of the clients (all
# atftp processes of the run); then the paired ratios: for each round the ratio
# of pxemasq's figure to the peer's on the same work in the same round, and
# the median of those ratios (MB/s: higher is better for pxemasq; CPU/MB:
# lower is better).  Without pxemasq the ratios are taken against dnsmasq.
import statistics
import sys
from collections import defaultdict

ORDER = ['b512', 'b1468', 'b8192', 'w16', 'p50', 'p200']
TITLE = {
	'b512': '64 MiB, blksize 512',
	'b1468': '64 MiB, blksize 1468',
	'b8192': '64 MiB, blksize 8192 (MTU 9000)',
	'w16': '64 MiB, blksize 1468, windowsize 16',
	'p50': '50 x 4 MiB in parallel, blksize 1468',
	'p200': '200 x 4 MiB in parallel, blksize 1468',
}


def main():
	rows = []
	with open(sys.argv[1]) as f:
		head = f.readline().rstrip('\n').split('\t')
		for line in f:
			d = dict(zip(head, line.rstrip('\n').split('\t')))
			b = int(d['bytes'])
			d['mbps'] = b / (int(d['ns']) / 1e9) / 1e6
			d['cpumb'] = int(d['cpu_ms']) / (b / 1e6)
			d['ccpumb'] = int(d.get('client_cpu_ms') or 0) / (b / 1e6)
			rows.append(d)
	servers = []
	for d in rows:
		if d['server'] not in servers:
			servers.append(d['server'])
	by = defaultdict(list)
	at = {}
	for d in rows:
		by[(d['work'], d['server'])].append(d)
		at[(d['round'], d['work'], d['server'])] = d
	works = [w for w in ORDER if any(k[0] == w for k in by)]
	rounds = sorted({d['round'] for d in rows}, key=int)
	print('TFTP benchmark: medians over %d round(s)' % len(rounds))
	print('%-40s %-10s %9s %10s %7s %10s' % ('work', 'server', 'MB/s',
	    'CPU ms/MB', 'failed', 'client CPU'))
	for w in works:
		for s in servers:
			v = by.get((w, s))
			if not v:
				continue
			print('%-40s %-10s %9.1f %10.2f %7d %10.2f' % (TITLE[w],
			    s, statistics.median(x['mbps'] for x in v),
			    statistics.median(x['cpumb'] for x in v),
			    sum(int(x['failed']) for x in v),
			    statistics.median(x['ccpumb'] for x in v)))
	base = 'pxemasq' if 'pxemasq' in servers else 'dnsmasq'
	if base not in servers:
		return 0
	print()
	print('Paired ratios %s/peer (median of per-round ratios; MB/s higher'
	    ' is better for %s, CPU/MB lower is better)' % (base, base))
	print('%-40s %-10s %9s %10s' % ('work', 'peer', 'MB/s', 'CPU/MB'))
	for w in works:
		for p in servers:
			if p == base:
				continue
			rm, rc = [], []
			for r in rounds:
				a = at.get((r, w, base))
				b = at.get((r, w, p))
				if not a or not b:
					continue
				rm.append(a['mbps'] / b['mbps'])
				if b['cpumb'] > 0:
					rc.append(a['cpumb'] / b['cpumb'])
			if not rm:
				continue
			print('%-40s %-10s %8.2fx %9sx' % (TITLE[w], p,
			    statistics.median(rm), '%.2f' % statistics.median(rc)
			    if rc else '-'))
	return 0


if __name__ == '__main__':
	sys.exit(main())
