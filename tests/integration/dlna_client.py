#!/usr/bin/python3
"""A UPnP control point built on GUPnP (not ours): finds a MediaServer by
SSDP on one interface, browses its whole ContentDirectory, parses every
DIDL-Lite answer with GUPnP-AV's parser, runs a Search, then subscribes to
the ContentDirectory's events with GUPnP's own subscription (GENA) and
records the SystemUpdateID values it is sent: the initial event, then,
after it writes "subscribed" to READY_FILE (the test then rescans a changed
library), a change. Prints one JSON line with what it saw.
Usage: dlna_client.py INTERFACE UDN SEARCH_WORD SECONDS READY_FILE"""
import json
import sys

import gi

gi.require_version('GUPnP', '1.6')
gi.require_version('GUPnPAV', '1.0')
gi.require_version('GSSDP', '1.6')
from gi.repository import GLib, GObject, GSSDP, GUPnP, GUPnPAV  # noqa: E402

iface, want_udn, word = sys.argv[1], sys.argv[2], sys.argv[3]
CDS = 'urn:schemas-upnp-org:service:ContentDirectory:1'
out = {'empty': [], 'found': False, 'errors': [], 'containers': 0, 'items': 0, 'extras': 0,
       'didl_answers': 0, 'res_missing_protocol': 0, 'search_titles': [], 'res_url': None,
       'srt_url': None, 'classes': [], 'titles': [], 'search_total': -1,
       'feature_list': False, 'sort_caps': '', 'search_caps': '', 'update_id': None,
       'ts_url': None, 'ts_profile': None, 'ts_timeseek': False, 'ts_converted': False,
       'ts_items_res': 0, 'events': [], 'subscribed': False, 'subscription_lost': None}
ready_file = sys.argv[5] if len(sys.argv) > 5 else None
loop = GLib.MainLoop()


def call(proxy, action, args, results):
    names = [a[0] for a in args]
    values = [a[1] for a in args]
    act = GUPnP.ServiceProxyAction.new_from_list(action, names, values)
    proxy.call_action(act, None)
    ok, vals = act.get_result_list([r[0] for r in results], [r[1] for r in results])
    if not ok:
        raise RuntimeError(action + ' failed')
    return vals


def parse(didl):
    objs = []
    parser = GUPnPAV.DIDLLiteParser.new()
    parser.connect('object-available', lambda p, o: objs.append(o))
    parser.parse_didl(didl)
    out['didl_answers'] += 1
    return objs


def browse_children(proxy, oid):
    """Every child of oid, in pages of 7 (paging exercised)."""
    start, total, children = 0, None, []
    while total is None or start < total:
        r, n, t, _ = call(proxy, 'Browse',
                          [('ObjectID', oid), ('BrowseFlag', 'BrowseDirectChildren'),
                           ('Filter', '*'), ('StartingIndex', str(start)),
                           ('RequestedCount', '7'), ('SortCriteria', '+dc:title')],
                          [('Result', str), ('NumberReturned', int), ('TotalMatches', int),
                           ('UpdateID', int)])
        # GUPnP-AV's parser rejects an empty DIDL-Lite document, which
        # UPnP allows; an empty answer is recorded instead of parsed.
        if n == 0:
            out.setdefault('empty', []).append(oid)
            break
        objs = parse(r)
        if len(objs) != n:
            out['errors'].append('%s: NumberReturned %d but %d objects' % (oid, n, len(objs)))
        total = t
        children += objs
        if n == 0:
            break
        start += n
    return children


def walk(proxy, oid, depth, seen):
    if depth > 8:
        out['errors'].append('tree deeper than 8 at ' + oid)
        return
    for o in browse_children(proxy, oid):
        cls = o.get_upnp_class()
        if cls not in out['classes']:
            out['classes'].append(cls)
        if isinstance(o, GUPnPAV.DIDLLiteContainer):
            out['containers'] += 1
            if o.get_parent_id() != oid and not o.get_id().startswith('film/'):
                out['errors'].append('%s: parent %s, listed under %s' % (o.get_id(), o.get_parent_id(), oid))
            if o.get_id() in seen:
                continue  # a film shows under several groups; walked once
            seen.add(o.get_id())
            walk(proxy, o.get_id(), depth + 1, seen)
        else:
            if o.get_id() in seen:
                continue
            seen.add(o.get_id())
            out['items'] += 1
            if cls == 'object.item.videoItem':
                out['extras'] += 1
            if len(out['titles']) < 100:
                out['titles'].append(o.get_title())
            resources = o.get_resources()
            for res in resources:
                pi = res.get_protocol_info()
                if pi is None or not pi.get_mime_type():
                    out['res_missing_protocol'] += 1
                elif '/dlna/ts/' in (res.get_uri() or ''):
                    # The transcoded MPEG-TS, as GUPnP-AV reads its
                    # protocolInfo: profile, time seek (OP=10), converted.
                    out['ts_url'] = res.get_uri()
                    out['ts_profile'] = pi.get_dlna_profile()
                    ops = pi.get_dlna_operation()
                    out['ts_timeseek'] = bool(ops & GUPnPAV.DLNAOperation.TIMESEEK) and \
                        not bool(ops & GUPnPAV.DLNAOperation.RANGE)
                    out['ts_converted'] = pi.get_dlna_conversion() == GUPnPAV.DLNAConversion.TRANSCODED
                    out['ts_items_res'] = len(resources)
                elif pi.get_mime_type() == 'text/srt':
                    out['srt_url'] = out['srt_url'] or res.get_uri()
                elif out['res_url'] is None and cls == 'object.item.videoItem.movie':
                    out['res_url'] = res.get_uri()


def on_proxy(cp, proxy):
    if proxy.get_udn() != want_udn:
        return
    out['found'] = True
    out['location'] = proxy.get_location()
    try:
        meta = parse(call(proxy, 'Browse',
                          [('ObjectID', '0'), ('BrowseFlag', 'BrowseMetadata'), ('Filter', '*'),
                           ('StartingIndex', '0'), ('RequestedCount', '0'),
                           ('SortCriteria', '')],
                          [('Result', str), ('NumberReturned', int), ('TotalMatches', int),
                           ('UpdateID', int)])[0])
        out['root_title'] = meta[0].get_title() if meta else None
        walk(proxy, '0', 0, set())
        r, n, t, _ = call(proxy, 'Search',
                          [('ContainerID', '0'),
                           ('SearchCriteria',
                            'upnp:class derivedfrom "object.item.videoItem" and '
                            '(dc:title contains "%s" or upnp:director contains "%s" or '
                            'upnp:actor contains "%s")' % (word, word, word)),
                           ('Filter', '*'), ('StartingIndex', '0'), ('RequestedCount', '50'),
                           ('SortCriteria', '')],
                          [('Result', str), ('NumberReturned', int), ('TotalMatches', int),
                           ('UpdateID', int)])
        out['search_total'] = t
        out['search_titles'] = [o.get_title() for o in parse(r)]
        out['sort_caps'] = call(proxy, 'GetSortCapabilities', [], [('SortCaps', str)])[0]
        out['search_caps'] = call(proxy, 'GetSearchCapabilities', [], [('SearchCaps', str)])[0]
        out['update_id'] = call(proxy, 'GetSystemUpdateID', [], [('Id', int)])[0]
        fl = call(proxy, 'X_GetFeatureList', [], [('FeatureList', str)])[0]
        out['feature_list'] = 'samsung.com_BASICVIEW' in fl
    except Exception as e:  # reported, and the test fails on it
        out['errors'].append(repr(e))
        loop.quit()
        return
    subscribe(proxy)


def subscribe(proxy):
    """GENA through GUPnP: its SUBSCRIBE (CALLBACK at this side's address),
    its event listener, its parsing of the NOTIFY's propertyset."""
    def on_update(p, variable, value, *user):
        out['events'].append(value)
        if len(out['events']) == 1 and ready_file:
            out['subscribed'] = True
            with open(ready_file, 'w') as f:
                f.write('subscribed %d\n' % value)
        elif len(out['events']) > 1 and value != out['events'][0]:
            loop.quit()

    def on_lost(p, error):
        out['subscription_lost'] = str(error)
    proxy.connect('subscription-lost', on_lost)
    proxy.add_notify('SystemUpdateID', GObject.TYPE_UINT, on_update)
    proxy.set_subscribed(True)
    if not ready_file:
        loop.quit()


ctx = GUPnP.Context.new_full(iface, None, 0, GSSDP.UDAVersion.VERSION_1_0)
cp = GUPnP.ControlPoint.new(ctx, CDS)
cp.connect('service-proxy-available', on_proxy)
cp.set_active(True)
GLib.timeout_add_seconds(int(sys.argv[4]) if len(sys.argv) > 4 else 30, loop.quit)
loop.run()
print(json.dumps(out))
