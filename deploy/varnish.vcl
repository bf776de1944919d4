vcl 4.1;
# The CDN in front of the site: `varnishd -a :80 -f deploy/varnish.vcl`, with TLS ended before
# it. Change to your own: the backend's .host/.port (deploy/nginx.conf's balancer) and the
# purgers acl (the app servers, which send BAN after every change: CDN_PURGE_URLS). Run Django
# with CDN_CACHE_SECONDS set, CDN_PURGE_BACKEND=articles.cdn.VarnishPurge and
# TRUSTED_PROXY_COUNT counting Varnish too. tests/site/test_cdn.py runs this file.
#
# Kept: public pages, for their s-maxage, served stale for stale-while-revalidate while one
# request fetches afresh. Never kept: anything with a session or pin cookie (editors, recent
# writers), any answer that sets a cookie or says private/no-cache (Varnish's built-in rules).

backend default {
    .host = "127.0.0.1";
    .port = "8080";
    .connect_timeout = 5s;
    .first_byte_timeout = 35s;
}

acl purgers {
    "127.0.0.1";
}

sub vcl_recv {
    if (req.method == "BAN") {
        if (client.ip !~ purgers) {
            return (synth(405, "Not allowed"));
        }
        # Each key named in xkey-purge: every object whose xkey header holds it (a ban on
        # obj.* only, so the ban lurker clears them in the background too).
        if (!req.http.xkey-purge) {
            return (synth(400, "xkey-purge missing"));
        }
        ban("obj.http.xkey ~ (^|\s)(" + regsuball(req.http.xkey-purge, "\s+", "|") + ")(\s|$)");
        return (synth(200, "Banned"));
    }
    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    if (req.url ~ "^/(admin|accounts)/") {
        return (pass);
    }
    if (req.http.Cookie ~ "(^|;\s*)(sessionid|primary)=") {
        return (pass);
    }
    # Any other cookie (csrftoken, analytics) changes no public page.
    unset req.http.Cookie;
    return (hash);
}

sub vcl_backend_response {
    # Pages are small; files under /static/ and /media/ come from nginx's disk and stream.
    if (bereq.url !~ "^/(static|media)/") {
        set beresp.do_stream = false;
    }
    # Only pages the site tagged with a surrogate key are kept: those are the ones a purge
    # reaches. A 404 or a redirect would otherwise be kept for Varnish's default TTL and
    # outlive the publication that replaces it.
    if (!beresp.http.xkey && bereq.url !~ "^/static/") {
        set beresp.ttl = 120s;
        set beresp.uncacheable = true;
        return (deliver);
    }
    if (beresp.status >= 500) {
        set beresp.ttl = 0s;
        set beresp.uncacheable = true;
        return (deliver);
    }
}

sub vcl_backend_error {
    if ((bereq.method == "GET" || bereq.method == "HEAD") && bereq.retries < 2) {
        return (retry);
    }
}

sub vcl_deliver {
    # The surrogate keys and s-maxage are for this cache only: the reader's browser revalidates
    # every time (a cheap 304 from here).
    unset resp.http.xkey;
    if (resp.http.Cache-Control ~ "s-maxage") {
        set resp.http.Cache-Control = "public, max-age=0, must-revalidate";
    }
    if (obj.hits > 0) {
        set resp.http.X-Cache = "HIT";
    } else {
        set resp.http.X-Cache = "MISS";
    }
}
