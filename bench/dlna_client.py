#!/usr/bin/python3
"""DLNA benchmark client (plain sockets and HTTP, the same for every
server): time to the first SSDP answer, Browse of one big container in
pages of 100 (p50/p99 per page), and Search. Prints one JSON line.
Usage: dlna_client.py START_EPOCH CONTAINER_TITLE_PATH SEARCH_CRITERIA
  CONTAINER_TITLE_PATH: titles from the root separated by '/', e.g.
  "Films/All films" or "Video/All Video"."""
import html
import json
import re
import socket
import statistics
import sys
import time
import urllib.error
import urllib.request

start_epoch = float(sys.argv[1])
path = sys.argv[2].split('/')
criteria = sys.argv[3]
CDS = 'urn:schemas-upnp-org:service:ContentDirectory:1'
out = {}

# 1. The first SSDP answer for a MediaServer, searching every 50 ms.
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(0.05)
msg = (b'M-SEARCH * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\nMAN: "ssdp:discover"\r\n'
       b'MX: 1\r\nST: urn:schemas-upnp-org:device:MediaServer:1\r\n\r\n')
location = None
deadline = time.time() + 120
while location is None and time.time() < deadline:
    s.sendto(msg, ('239.255.255.250', 1900))
    t_end = time.time() + 0.05
    while time.time() < t_end:
        try:
            data = s.recvfrom(4096)[0].decode('latin-1')
        except socket.timeout:
            break
        m = re.search(r'(?im)^LOCATION:\s*(\S+)', data)
        if m and 'MediaServer' in data:
            location = m.group(1)
            out['first_ssdp_answer_s'] = round(time.time() - start_epoch, 3)
            break
if not location:
    print(json.dumps({'error': 'no SSDP answer'}))
    sys.exit(1)

desc = urllib.request.urlopen(location, timeout=10).read().decode('utf-8', 'replace')
m = re.search(r'<serviceType>' + re.escape(CDS) + r'</serviceType>.*?<controlURL>([^<]+)</controlURL>',
              desc, re.S)
control = urllib.parse.urljoin(location, m.group(1))


def soap(action, args):
    body = ('<?xml version="1.0"?><s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/" '
            's:encodingStyle="http://schemas.xmlsoap.org/soap/encoding/"><s:Body>'
            '<u:%s xmlns:u="%s">%s</u:%s></s:Body></s:Envelope>') % (
        action, CDS, ''.join('<%s>%s</%s>' % (k, html.escape(str(v), quote=False), k)
                             for k, v in args), action)
    req = urllib.request.Request(control, data=body.encode(), headers={
        'Content-Type': 'text/xml; charset="utf-8"', 'SOAPACTION': '"%s#%s"' % (CDS, action)})
    t = time.perf_counter()
    reply = urllib.request.urlopen(req, timeout=60).read().decode('utf-8', 'replace')
    dt = time.perf_counter() - t
    result = html.unescape(re.search(r'<Result>(.*)</Result>', reply, re.S).group(1))
    n = int(re.search(r'<NumberReturned>(\d+)', reply).group(1))
    total = int(re.search(r'<TotalMatches>(\d+)', reply).group(1))
    return result, n, total, dt


def browse(oid, start, count):
    return soap('Browse', [('ObjectID', oid), ('BrowseFlag', 'BrowseDirectChildren'),
                           ('Filter', '*'), ('StartingIndex', start), ('RequestedCount', count),
                           ('SortCriteria', '')])


# 2. Find the container by titles, then wait until it is full (scans run
# in the background), then page through it.
oid = '0'
for title in path:
    found = None
    for _ in range(600):
        result, n, total, _ = browse(oid, 0, 0)
        for cid, ctitle in re.findall(r'<container[^>]*\bid="([^"]*)"[^>]*>.*?<dc:title>([^<]*)</dc:title>',
                                      result, re.S):
            if html.unescape(ctitle) == title:
                found = html.unescape(cid)
        if found:
            break
        time.sleep(0.5)
    if not found:
        print(json.dumps({'error': 'no container ' + title}))
        sys.exit(1)
    oid = found
want = int(sys.argv[4]) if len(sys.argv) > 4 else 10000
t0 = time.time()
while True:
    _, _, total, _ = browse(oid, 0, 1)
    if total >= want or time.time() - t0 > 900:
        break
    time.sleep(1)
out['container_total'] = total
times = []
start = 0
while start < total:
    _, n, _, dt = browse(oid, start, 100)
    times.append(dt * 1000)
    if n == 0:
        break
    start += n
times.sort()
out['browse_pages'] = len(times)
out['browse_p50_ms'] = round(statistics.median(times), 2)
out['browse_p99_ms'] = round(times[min(len(times) - 1, int(len(times) * 0.99))], 2)

# 3. Search, 20 times.
# A server without Search (Gerbera before 1.5) answers with a UPnP error:
# recorded as such, not as a failure of the run.
st = []
try:
    for _ in range(20):
        _, n, total, dt = soap('Search', [('ContainerID', '0'), ('SearchCriteria', criteria),
                                          ('Filter', '*'), ('StartingIndex', 0),
                                          ('RequestedCount', 100), ('SortCriteria', '')])
        st.append(dt * 1000)
    out['search_matches'] = total
    out['search_p50_ms'] = round(statistics.median(st), 2)
except urllib.error.HTTPError as e:
    body = e.read().decode('utf-8', 'replace')
    code = re.search(r'<errorCode>(\d+)</errorCode>', body)
    out['search'] = 'not supported (HTTP %d, UPnP error %s)' % (e.code, code.group(1) if code else '?')
print(json.dumps(out))
