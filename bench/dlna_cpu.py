#!/usr/bin/python3
"""Server CPU per DLNA request, a figure the machine's load barely moves
(unlike wall time): pages through a container with Browse (100 a page)
and runs a Search 20 times against a running server, reading the
server's user+system CPU time from /proc/PID/stat before and after.
Usage: dlna_cpu.py CONTROL_URL PID [CONTAINER_ID] [SEARCH_CRITERIA]
  e.g. dlna_cpu.py http://127.0.0.1:8420/dlna/control/cds 1234 films/all
Run it two or three times: the first round also fills each worker
thread's page cache (the connections are opened at the server's start)."""
import html
import os
import sys
import urllib.request

CDS = 'urn:schemas-upnp-org:service:ContentDirectory:1'
url, pid = sys.argv[1], int(sys.argv[2])
container = sys.argv[3] if len(sys.argv) > 3 else 'films/all'
criteria = sys.argv[4] if len(sys.argv) > 4 else 'dc:title contains "Film 123"'
tick = os.sysconf('SC_CLK_TCK')


def soap(action, args):
    body = ('<?xml version="1.0"?><s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/">'
            '<s:Body><u:%s xmlns:u="%s">%s</u:%s></s:Body></s:Envelope>') % (
        action, CDS, ''.join('<%s>%s</%s>' % (k, html.escape(str(v), quote=False), k)
                             for k, v in args), action)
    req = urllib.request.Request(url, data=body.encode(), headers={
        'Content-Type': 'text/xml; charset="utf-8"', 'SOAPACTION': '"%s#%s"' % (CDS, action)})
    return urllib.request.urlopen(req, timeout=120).read().decode('utf-8', 'replace')


def cpu():
    with open('/proc/%d/stat' % pid) as f:
        fields = f.read().rsplit(')', 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / tick  # utime + stime


def total_of(reply):
    return int(reply.split('<TotalMatches>', 1)[1].split('<', 1)[0])


total = total_of(soap('Browse', [('ObjectID', container), ('BrowseFlag', 'BrowseDirectChildren'),
                                 ('Filter', '*'), ('StartingIndex', 0), ('RequestedCount', 1),
                                 ('SortCriteria', '')]))
c0 = cpu()
pages = 0
for start in range(0, total, 100):
    soap('Browse', [('ObjectID', container), ('BrowseFlag', 'BrowseDirectChildren'),
                    ('Filter', '*'), ('StartingIndex', start), ('RequestedCount', 100),
                    ('SortCriteria', '')])
    pages += 1
c1 = cpu()
for _ in range(20):
    soap('Search', [('ContainerID', '0'), ('SearchCriteria', criteria), ('Filter', '*'),
                    ('StartingIndex', 0), ('RequestedCount', 100), ('SortCriteria', '')])
c2 = cpu()
print('browse: %d pages of %d films, server CPU %.1f ms a page' % (pages, total, (c1 - c0) * 1000 / max(pages, 1)))
print('search: 20 requests, server CPU %.1f ms each' % ((c2 - c1) * 1000 / 20))
