/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * conf_kw.h - the one keyword table: every option of dnsmasq 2.90 plus
 * pxemasq's command-line-only options, as an X-macro list.
 *
 * KW(ID, name, short, arg, rep, feature, support, handler)
 *   arg:     N no value, R value required, O value optional
 *   rep:     FLAG  boolean, repeats freely
 *            ONE   single-valued: twice on the command line or twice in
 *                  files is an error; the file overrides the command line
 *            DUP   list, accumulates
 *            CMD   handled by the command line driver (help, version, test)
 *   feature: CORE DHCP PXE TFTP DNS SCRIPT (a build without the feature,
 *            make NO_DHCP=1 etc., reports its options as compiled out:
 *            conf_features.c)
 *   support: IMPL   pxemasq acts on it
 *            IGN    valid, harmless to ignore: warned, daemon starts
 *            REF    valid, but running without it changes what the
 *                   network gets: refused unless --ignore-unsupported
 *            NOBUILD  Debian's dnsmasq 2.90 was built without it and
 *                   rejects it; we give the same error
 * ALIAS(ID, name, short, arg) is a second name for the row ID.
 *
 * Row order is dnsmasq's own option table order, so getopt_long's
 * abbreviation matching resolves exactly as dnsmasq's does.
 */
#define CONF_KEYWORDS(X_KW, X_ALIAS) \
X_KW(VERSION, "version", 'v', N, CMD, CORE, IMPL, conf_no_handler) \
X_KW(NO_HOSTS, "no-hosts", 'h', N, FLAG, DNS, IMPL, conf_no_handler) \
X_KW(NO_POLL, "no-poll", 'n', N, FLAG, DNS, IMPL, conf_no_handler) \
X_KW(HELP, "help", 'w', N, CMD, CORE, IMPL, conf_no_handler) \
X_KW(NO_DAEMON, "no-daemon", 'd', N, FLAG, CORE, IMPL, conf_no_handler) \
X_KW(LOG_QUERIES, "log-queries", 'q', O, DUP, DNS, IMPL, conf_dns_log_queries) \
X_KW(USER, "user", 'u', O, ONE, CORE, IMPL, conf_core_user) \
X_KW(GROUP, "group", 'g', O, ONE, CORE, IMPL, conf_core_group) \
X_KW(RESOLV_FILE, "resolv-file", 'r', O, DUP, DNS, IMPL, conf_dns_resolv_file) \
X_KW(SERVERS_FILE, "servers-file", 0, R, ONE, DNS, REF, conf_other_path) \
X_KW(MX_HOST, "mx-host", 'm', R, DUP, DNS, IMPL, conf_other_mx_host) \
X_KW(MX_TARGET, "mx-target", 't', R, ONE, DNS, IMPL, conf_other_mx_target) \
X_KW(CACHE_SIZE, "cache-size", 'c', O, ONE, DNS, IMPL, conf_dns_cache_size) \
X_KW(PORT, "port", 'p', R, ONE, DNS, IMPL, conf_dns_port) \
X_KW(DHCP_LEASEFILE, "dhcp-leasefile", 'l', O, ONE, DHCP, IMPL, conf_dhcp_leasefile) \
X_ALIAS(DHCP_LEASEFILE, "dhcp-lease", 'l', R) \
X_KW(DHCP_HOST, "dhcp-host", 'G', R, DUP, DHCP, IMPL, conf_dhcp_host) \
X_KW(DHCP_RANGE, "dhcp-range", 'F', R, DUP, DHCP, IMPL, conf_dhcp_range) \
X_KW(DHCP_OPTION, "dhcp-option", 'O', R, DUP, DHCP, IMPL, conf_dhcp_option) \
X_KW(DHCP_BOOT, "dhcp-boot", 'M', R, DUP, DHCP, IMPL, conf_dhcp_boot) \
X_KW(DOMAIN, "domain", 's', R, DUP, DHCP, IMPL, conf_dhcp_domain) \
X_ALIAS(DOMAIN, "domain-suffix", 's', R) \
X_KW(INTERFACE, "interface", 'i', R, DUP, CORE, IMPL, conf_core_interface) \
X_KW(LISTEN_ADDRESS, "listen-address", 'a', R, DUP, CORE, IMPL, conf_core_listen_address) \
X_KW(LOCAL_SERVICE, "local-service", 0, O, ONE, DNS, IMPL, conf_dns_local_service) \
X_KW(BOGUS_PRIV, "bogus-priv", 'b', N, FLAG, DNS, IMPL, conf_no_handler) \
X_KW(BOGUS_NXDOMAIN, "bogus-nxdomain", 'B', R, DUP, DNS, IMPL, conf_other_addr_list) \
X_KW(IGNORE_ADDRESS, "ignore-address", 0, R, DUP, DNS, IMPL, conf_other_addr_list) \
X_KW(SELFMX, "selfmx", 'e', N, FLAG, DNS, IMPL, conf_no_handler) \
X_KW(FILTERWIN2K, "filterwin2k", 'f', N, FLAG, DNS, IMPL, conf_no_handler) \
X_KW(FILTER_A, "filter-A", 0, N, DUP, DNS, IMPL, conf_other_filter_addr) \
X_KW(FILTER_AAAA, "filter-AAAA", 0, N, DUP, DNS, IMPL, conf_other_filter_addr) \
X_KW(FILTER_RR, "filter-rr", 0, R, DUP, DNS, IMPL, conf_other_rr_types) \
X_KW(PID_FILE, "pid-file", 'x', O, ONE, CORE, IMPL, conf_core_pid_file) \
X_KW(STRICT_ORDER, "strict-order", 'o', N, FLAG, DNS, IMPL, conf_no_handler) \
X_KW(SERVER, "server", 'S', R, DUP, DNS, IMPL, conf_dns_server) \
X_KW(REV_SERVER, "rev-server", 0, R, DUP, DNS, IMPL, conf_other_rev_server) \
X_KW(LOCAL, "local", 0, R, DUP, DNS, IMPL, conf_dns_server) \
X_KW(ADDRESS, "address", 'A', R, DUP, DNS, IMPL, conf_dns_address) \
X_KW(CONF_FILE, "conf-file", 'C', O, DUP, CORE, IMPL, conf_no_handler) \
X_KW(CONF_SCRIPT, "conf-script", 0, R, DUP, CORE, REF, conf_other_conf_script) \
X_KW(NO_RESOLV, "no-resolv", 'R', N, FLAG, DNS, IMPL, conf_no_handler) \
X_KW(EXPAND_HOSTS, "expand-hosts", 'E', N, FLAG, DNS, IMPL, conf_no_handler) \
X_KW(LOCALMX, "localmx", 'L', N, FLAG, DNS, IMPL, conf_no_handler) \
X_KW(LOCAL_TTL, "local-ttl", 'T', R, ONE, DNS, IMPL, conf_dns_ttl) \
X_KW(NO_NEGCACHE, "no-negcache", 'N', N, FLAG, DNS, IMPL, conf_no_handler) \
X_KW(NO_ROUND_ROBIN, "no-round-robin", 0, N, FLAG, DNS, IGN, conf_no_handler) \
X_KW(CACHE_RR, "cache-rr", 0, R, DUP, DNS, IGN, conf_other_rr_types) \
X_KW(ADDN_HOSTS, "addn-hosts", 'H', R, DUP, DNS, IMPL, conf_dns_addn_hosts) \
X_KW(HOSTSDIR, "hostsdir", 0, R, DUP, DNS, REF, conf_other_path) \
X_KW(QUERY_PORT, "query-port", 'Q', R, ONE, DNS, IGN, conf_other_port) \
X_KW(EXCEPT_INTERFACE, "except-interface", 'I', R, DUP, CORE, IMPL, conf_core_except_interface) \
X_KW(NO_DHCP_INTERFACE, "no-dhcp-interface", '2', R, DUP, DHCP, IMPL, conf_core_no_dhcp_interface) \
X_KW(NO_DHCPV4_INTERFACE, "no-dhcpv4-interface", 0, R, DUP, DHCP, IMPL, conf_core_no_dhcp_interface) \
X_KW(NO_DHCPV6_INTERFACE, "no-dhcpv6-interface", 0, R, DUP, DHCP, IGN, conf_other_ifnames) \
X_KW(DOMAIN_NEEDED, "domain-needed", 'D', N, FLAG, DNS, IMPL, conf_no_handler) \
X_KW(DHCP_LEASE_MAX, "dhcp-lease-max", 'X', R, ONE, DHCP, IMPL, conf_dhcp_lease_max) \
X_KW(BIND_INTERFACES, "bind-interfaces", 'z', N, FLAG, CORE, IMPL, conf_no_handler) \
X_KW(READ_ETHERS, "read-ethers", 'Z', N, FLAG, DHCP, IMPL, conf_no_handler) \
X_KW(ALIAS, "alias", 'V', R, DUP, DNS, REF, conf_other_alias) \
X_KW(DHCP_VENDORCLASS, "dhcp-vendorclass", 'U', R, DUP, DHCP, IMPL, conf_dhcp_vendorclass) \
X_KW(DHCP_USERCLASS, "dhcp-userclass", 'j', R, DUP, DHCP, IMPL, conf_dhcp_userclass) \
X_KW(DHCP_IGNORE, "dhcp-ignore", 'J', R, DUP, DHCP, IMPL, conf_dhcp_ignore) \
X_KW(EDNS_PACKET_MAX, "edns-packet-max", 'P', R, ONE, DNS, IMPL, conf_dns_edns_packet_max) \
X_KW(KEEP_IN_FOREGROUND, "keep-in-foreground", 'k', N, FLAG, CORE, IMPL, conf_no_handler) \
X_KW(DHCP_AUTHORITATIVE, "dhcp-authoritative", 'K', N, FLAG, DHCP, IMPL, conf_no_handler) \
X_KW(SRV_HOST, "srv-host", 'W', R, DUP, DNS, IMPL, conf_other_srv_host) \
X_KW(LOCALISE_QUERIES, "localise-queries", 'y', N, FLAG, DNS, IGN, conf_no_handler) \
X_KW(TXT_RECORD, "txt-record", 'Y', R, DUP, DNS, IMPL, conf_other_txt_record) \
X_KW(CAA_RECORD, "caa-record", 0, R, DUP, DNS, IMPL, conf_other_caa_record) \
X_KW(DNS_RR, "dns-rr", 0, R, DUP, DNS, IMPL, conf_other_dns_rr) \
X_KW(ENABLE_DBUS, "enable-dbus", '1', O, ONE, CORE, IGN, conf_other_any) \
X_KW(ENABLE_UBUS, "enable-ubus", 0, O, ONE, CORE, IGN, conf_other_any) \
X_KW(BOOTP_DYNAMIC, "bootp-dynamic", '3', O, DUP, DHCP, REF, conf_other_tag_list) \
X_KW(DHCP_MAC, "dhcp-mac", '4', R, DUP, DHCP, IMPL, conf_dhcp_mac) \
X_KW(NO_PING, "no-ping", '5', N, FLAG, DHCP, IMPL, conf_no_handler) \
X_KW(DHCP_SCRIPT, "dhcp-script", '6', R, ONE, SCRIPT, IMPL, conf_dhcp_script) \
X_KW(CONF_DIR, "conf-dir", '7', R, DUP, CORE, IMPL, conf_no_handler) \
X_KW(LOG_FACILITY, "log-facility", '8', R, ONE, CORE, IMPL, conf_core_log_facility) \
X_KW(LEASEFILE_RO, "leasefile-ro", '9', N, FLAG, DHCP, IMPL, conf_no_handler) \
X_KW(SCRIPT_ON_RENEWAL, "script-on-renewal", 0, N, FLAG, DHCP, IMPL, conf_no_handler) \
X_KW(DNS_FORWARD_MAX, "dns-forward-max", '0', R, ONE, DNS, IMPL, conf_dns_forward_max) \
X_KW(CLEAR_ON_RELOAD, "clear-on-reload", 0, N, FLAG, DNS, IGN, conf_no_handler) \
X_KW(DHCP_IGNORE_NAMES, "dhcp-ignore-names", 0, O, DUP, DHCP, REF, conf_other_tag_list) \
X_KW(ENABLE_TFTP, "enable-tftp", 0, O, DUP, TFTP, IMPL, conf_tftp_enable) \
X_KW(TFTP_SECURE, "tftp-secure", 0, N, FLAG, TFTP, IMPL, conf_no_handler) \
X_KW(TFTP_NO_FAIL, "tftp-no-fail", 0, N, FLAG, TFTP, IMPL, conf_no_handler) \
X_KW(TFTP_UNIQUE_ROOT, "tftp-unique-root", 0, O, DUP, TFTP, IMPL, conf_tftp_unique_root) \
X_KW(TFTP_ROOT, "tftp-root", 0, R, DUP, TFTP, IMPL, conf_tftp_root) \
X_KW(TFTP_MAX, "tftp-max", 0, R, ONE, TFTP, IMPL, conf_tftp_max) \
X_KW(TFTP_MTU, "tftp-mtu", 0, R, ONE, TFTP, IMPL, conf_tftp_mtu) \
X_KW(TFTP_LOWERCASE, "tftp-lowercase", 0, N, FLAG, TFTP, IMPL, conf_no_handler) \
X_KW(TFTP_SINGLE_PORT, "tftp-single-port", 0, N, FLAG, TFTP, IMPL, conf_no_handler) \
X_KW(PTR_RECORD, "ptr-record", 0, R, DUP, DNS, IMPL, conf_other_ptr_record) \
X_KW(NAPTR_RECORD, "naptr-record", 0, R, DUP, DNS, IMPL, conf_other_naptr_record) \
X_KW(BRIDGE_INTERFACE, "bridge-interface", 0, R, DUP, DHCP, REF, conf_other_bridge_interface) \
X_KW(SHARED_NETWORK, "shared-network", 0, R, DUP, DHCP, REF, conf_other_shared_network) \
X_KW(DHCP_OPTION_FORCE, "dhcp-option-force", 0, R, DUP, DHCP, IMPL, conf_dhcp_option) \
X_KW(TFTP_NO_BLOCKSIZE, "tftp-no-blocksize", 0, N, FLAG, TFTP, IMPL, conf_no_handler) \
X_KW(LOG_DHCP, "log-dhcp", 0, N, FLAG, DHCP, IMPL, conf_no_handler) \
X_KW(LOG_ASYNC, "log-async", 0, O, ONE, CORE, IGN, conf_other_log_async) \
X_KW(DHCP_CIRCUITID, "dhcp-circuitid", 0, R, DUP, DHCP, REF, conf_other_dhcp_vendorclass) \
X_KW(DHCP_REMOTEID, "dhcp-remoteid", 0, R, DUP, DHCP, REF, conf_other_dhcp_vendorclass) \
X_KW(DHCP_SUBSCRID, "dhcp-subscrid", 0, R, DUP, DHCP, REF, conf_other_dhcp_vendorclass) \
X_KW(DHCP_PXE_VENDOR, "dhcp-pxe-vendor", 0, R, DUP, PXE, IMPL, conf_pxe_vendor) \
X_KW(INTERFACE_NAME, "interface-name", 0, R, DUP, DNS, IMPL, conf_other_interface_name) \
X_KW(DHCP_HOSTSFILE, "dhcp-hostsfile", 0, R, DUP, DHCP, IMPL, conf_dhcp_hostsfile) \
X_KW(DHCP_OPTSFILE, "dhcp-optsfile", 0, R, DUP, DHCP, IMPL, conf_dhcp_optsfile) \
X_KW(DHCP_HOSTSDIR, "dhcp-hostsdir", 0, R, DUP, DHCP, IMPL, conf_dhcp_hostsdir) \
X_KW(DHCP_OPTSDIR, "dhcp-optsdir", 0, R, DUP, DHCP, IMPL, conf_dhcp_optsdir) \
X_KW(DHCP_NO_OVERRIDE, "dhcp-no-override", 0, N, FLAG, DHCP, IMPL, conf_no_handler) \
X_KW(TFTP_PORT_RANGE, "tftp-port-range", 0, R, ONE, TFTP, IMPL, conf_tftp_port_range) \
X_KW(STOP_DNS_REBIND, "stop-dns-rebind", 0, N, FLAG, DNS, IMPL, conf_no_handler) \
X_KW(REBIND_DOMAIN_OK, "rebind-domain-ok", 0, R, DUP, DNS, IMPL, conf_dns_rebind_domain_ok) \
X_KW(ALL_SERVERS, "all-servers", 0, N, FLAG, DNS, IMPL, conf_no_handler) \
X_KW(DHCP_MATCH, "dhcp-match", 0, R, DUP, DHCP, IMPL, conf_dhcp_match) \
X_KW(DHCP_NAME_MATCH, "dhcp-name-match", 0, R, DUP, DHCP, REF, conf_other_dhcp_name_match) \
X_KW(DHCP_BROADCAST, "dhcp-broadcast", 0, O, DUP, DHCP, IMPL, conf_dhcp_broadcast) \
X_KW(NEG_TTL, "neg-ttl", 0, R, ONE, DNS, IMPL, conf_dns_ttl) \
X_KW(MAX_TTL, "max-ttl", 0, R, ONE, DNS, IMPL, conf_dns_ttl) \
X_KW(MIN_CACHE_TTL, "min-cache-ttl", 0, R, ONE, DNS, IMPL, conf_dns_ttl) \
X_KW(MAX_CACHE_TTL, "max-cache-ttl", 0, R, ONE, DNS, IMPL, conf_dns_ttl) \
X_KW(DHCP_ALTERNATE_PORT, "dhcp-alternate-port", 0, O, ONE, DHCP, REF, conf_other_alternate_port) \
X_KW(DHCP_SCRIPTUSER, "dhcp-scriptuser", 0, R, ONE, DHCP, IMPL, conf_dhcp_scriptuser) \
X_KW(MIN_PORT, "min-port", 0, R, ONE, DNS, IGN, conf_other_port) \
X_KW(MAX_PORT, "max-port", 0, R, ONE, DNS, IGN, conf_other_port) \
X_KW(DHCP_FQDN, "dhcp-fqdn", 0, N, FLAG, DHCP, REF, conf_no_handler) \
X_KW(CNAME, "cname", 0, R, DUP, DNS, IMPL, conf_dns_cname) \
X_KW(PXE_PROMPT, "pxe-prompt", 0, R, DUP, PXE, IMPL, conf_pxe_prompt) \
X_KW(PXE_SERVICE, "pxe-service", 0, R, DUP, PXE, IMPL, conf_pxe_service) \
X_KW(TEST, "test", 0, N, CMD, CORE, IMPL, conf_no_handler) \
X_KW(TAG_IF, "tag-if", 0, R, DUP, DHCP, IMPL, conf_dhcp_tag_if) \
X_KW(DHCP_PROXY, "dhcp-proxy", 0, O, DUP, DHCP, REF, conf_other_addr_list) \
X_KW(DHCP_GENERATE_NAMES, "dhcp-generate-names", 0, O, DUP, DHCP, REF, conf_other_tag_list) \
X_KW(REBIND_LOCALHOST_OK, "rebind-localhost-ok", 0, N, FLAG, DNS, IMPL, conf_no_handler) \
X_KW(ADD_MAC, "add-mac", 0, O, DUP, DNS, REF, conf_other_add_mac) \
X_KW(STRIP_MAC, "strip-mac", 0, N, FLAG, DNS, IGN, conf_no_handler) \
X_KW(ADD_SUBNET, "add-subnet", 0, O, ONE, DNS, REF, conf_other_add_subnet) \
X_KW(STRIP_SUBNET, "strip-subnet", 0, N, FLAG, DNS, IGN, conf_no_handler) \
X_KW(ADD_CPE_ID, "add-cpe-id", 0, R, ONE, DNS, REF, conf_other_string) \
X_KW(PROXY_DNSSEC, "proxy-dnssec", 0, N, FLAG, DNS, REF, conf_no_handler) \
X_KW(DHCP_SEQUENTIAL_IP, "dhcp-sequential-ip", 0, N, FLAG, DHCP, IMPL, conf_no_handler) \
X_KW(CONNTRACK, "conntrack", 0, N, FLAG, DNS, REF, conf_no_handler) \
X_KW(DHCP_CLIENT_UPDATE, "dhcp-client-update", 0, N, FLAG, DHCP, REF, conf_no_handler) \
X_KW(DHCP_LUASCRIPT, "dhcp-luascript", 0, R, DUP, SCRIPT, NOBUILD, conf_other_luascript) \
X_KW(ENABLE_RA, "enable-ra", 0, N, FLAG, DHCP, REF, conf_no_handler) \
X_KW(DHCP_DUID, "dhcp-duid", 0, R, ONE, DHCP, REF, conf_other_dhcp_duid) \
X_KW(HOST_RECORD, "host-record", 0, R, DUP, DNS, IMPL, conf_dns_host_record) \
X_KW(BIND_DYNAMIC, "bind-dynamic", 0, N, FLAG, CORE, IMPL, conf_no_handler) \
X_KW(AUTH_ZONE, "auth-zone", 0, R, DUP, DNS, REF, conf_other_auth_zone) \
X_KW(AUTH_SERVER, "auth-server", 0, R, ONE, DNS, REF, conf_other_auth_server) \
X_KW(AUTH_TTL, "auth-ttl", 0, R, ONE, DNS, REF, conf_other_ttl) \
X_KW(AUTH_SOA, "auth-soa", 0, R, ONE, DNS, REF, conf_other_auth_soa) \
X_KW(AUTH_SEC_SERVERS, "auth-sec-servers", 0, R, DUP, DNS, REF, conf_other_auth_sec_servers) \
X_KW(AUTH_PEER, "auth-peer", 0, R, DUP, DNS, REF, conf_other_auth_peer) \
X_KW(IPSET, "ipset", 0, R, DUP, DNS, REF, conf_other_ipset) \
X_KW(NFTSET, "nftset", 0, R, DUP, DNS, REF, conf_other_nftset) \
X_KW(CONNMARK_ALLOWLIST_ENABLE, "connmark-allowlist-enable", 0, O, ONE, DNS, REF, conf_other_connmark_enable) \
X_KW(CONNMARK_ALLOWLIST, "connmark-allowlist", 0, R, DUP, DNS, REF, conf_other_connmark_allowlist) \
X_KW(SYNTH_DOMAIN, "synth-domain", 0, R, DUP, DNS, REF, conf_other_synth_domain) \
X_KW(DNSSEC, "dnssec", 0, N, FLAG, DNS, REF, conf_no_handler) \
X_KW(TRUST_ANCHOR, "trust-anchor", 0, R, DUP, DNS, REF, conf_other_trust_anchor) \
X_KW(DNSSEC_DEBUG, "dnssec-debug", 0, N, FLAG, DNS, REF, conf_no_handler) \
X_KW(DNSSEC_CHECK_UNSIGNED, "dnssec-check-unsigned", 0, O, DUP, DNS, REF, conf_other_dnssec_check) \
X_KW(DNSSEC_NO_TIMECHECK, "dnssec-no-timecheck", 0, N, FLAG, DNS, REF, conf_no_handler) \
X_KW(DNSSEC_TIMESTAMP, "dnssec-timestamp", 0, R, ONE, DNS, REF, conf_other_path) \
X_KW(DNSSEC_LIMITS, "dnssec-limits", 0, R, ONE, DNS, REF, conf_other_dnssec_limits) \
X_KW(DHCP_RELAY, "dhcp-relay", 0, R, DUP, DHCP, REF, conf_other_dhcp_relay) \
X_KW(RA_PARAM, "ra-param", 0, R, DUP, DHCP, REF, conf_other_ra_param) \
X_KW(QUIET_DHCP, "quiet-dhcp", 0, N, FLAG, DHCP, IGN, conf_no_handler) \
X_KW(QUIET_DHCP6, "quiet-dhcp6", 0, N, FLAG, DHCP, IGN, conf_no_handler) \
X_KW(QUIET_RA, "quiet-ra", 0, N, FLAG, DHCP, IGN, conf_no_handler) \
X_KW(DNS_LOOP_DETECT, "dns-loop-detect", 0, N, FLAG, DNS, IGN, conf_no_handler) \
X_KW(SCRIPT_ARP, "script-arp", 0, N, FLAG, DHCP, IGN, conf_no_handler) \
X_KW(DHCP_TTL, "dhcp-ttl", 0, R, ONE, DNS, IMPL, conf_dns_ttl) \
X_KW(DHCP_REPLY_DELAY, "dhcp-reply-delay", 0, R, ONE, DHCP, IMPL, conf_dhcp_reply_delay) \
X_KW(DHCP_RAPID_COMMIT, "dhcp-rapid-commit", 0, N, FLAG, DHCP, IGN, conf_no_handler) \
X_KW(DUMPFILE, "dumpfile", 0, R, ONE, METRICS, IMPL, conf_core_dumpfile) \
X_KW(DUMPMASK, "dumpmask", 0, R, ONE, METRICS, IMPL, conf_core_dumpmask) \
X_KW(DHCP_IGNORE_CLID, "dhcp-ignore-clid", 0, N, FLAG, DHCP, IMPL, conf_no_handler) \
X_KW(DYNAMIC_HOST, "dynamic-host", 0, R, DUP, DNS, REF, conf_other_dynamic_host) \
X_KW(LOG_DEBUG, "log-debug", 0, N, FLAG, CORE, IMPL, conf_no_handler) \
X_KW(UMBRELLA, "umbrella", 0, O, ONE, DNS, REF, conf_other_umbrella) \
X_KW(QUIET_TFTP, "quiet-tftp", 0, N, FLAG, TFTP, IMPL, conf_no_handler) \
X_KW(PORT_LIMIT, "port-limit", 0, R, ONE, DNS, IGN, conf_other_int) \
X_KW(FAST_DNS_RETRY, "fast-dns-retry", 0, O, ONE, DNS, IGN, conf_other_fast_dns_retry) \
X_KW(USE_STALE_CACHE, "use-stale-cache", 0, O, ONE, DNS, IGN, conf_other_use_stale_cache) \
X_KW(NO_IDENT, "no-ident", 0, N, FLAG, DNS, IGN, conf_no_handler) \
X_KW(MAX_TCP_CONNECTIONS, "max-tcp-connections", 0, R, ONE, DNS, IGN, conf_other_int) \
X_KW(DUMP_CONFIG, "dump-config", 0, N, OWN, CORE, IMPL, conf_no_handler) \
X_KW(IGNORE_UNSUPPORTED, "ignore-unsupported", 0, N, OWN, CORE, IMPL, conf_no_handler) \
X_KW(EXPLAIN, "explain", 0, O, OWN, CORE, IMPL, conf_no_handler) \
X_KW(EXPLAIN_PCAP, "explain-pcap", 0, R, OWN, CORE, IMPL, conf_no_handler) \
X_KW(RELOAD_CONFIG, "reload-config", 0, N, OWN, CORE, IMPL, conf_no_handler) \
X_KW(METRICS_LISTEN, "metrics-listen", 0, R, OWN, METRICS, IMPL, conf_core_metrics_listen)
