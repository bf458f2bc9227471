//! The checked JSON turned into the SDK's types, member by member.

use aws_sdk_cloudfront::error::BuildError;
use aws_sdk_cloudfront::types::{
    Aliases, AllowedMethods, CacheBehavior, CacheBehaviors, CacheTagConfig, CachedMethods,
    ConnectionFunctionAssociation, CookieNames, CookiePreference, CustomErrorResponse,
    CustomErrorResponses, CustomHeaders, CustomOriginConfig, DefaultCacheBehavior,
    DistributionConfig, ForwardedValues, FunctionAssociation, FunctionAssociations, GeoRestriction,
    GrpcConfig, Headers, InvalidationBatch, LambdaFunctionAssociation, LambdaFunctionAssociations,
    LoggingConfig, Origin, OriginAccessControlConfig, OriginCustomHeader, OriginGroup,
    OriginGroupFailoverCriteria, OriginGroupMember, OriginGroupMembers, OriginGroups,
    OriginMtlsConfig, OriginShield, OriginSslProtocols, Origins, ParameterDefinition,
    ParameterDefinitionSchema, Paths, QueryStringCacheKeys, Restrictions, S3OriginConfig,
    StatusCodes, StringSchemaConfig, TenantConfig, TrustStoreConfig, TrustedKeyGroups,
    TrustedSigners, ViewerCertificate, ViewerMtlsConfig, VpcOriginConfig,
};
use serde_json::Value;

use super::Failure;
use crate::aws_cli::params::text;

type Built<T> = Result<T, Failure>;

pub fn origin_access_control_config(v: &Value) -> Built<OriginAccessControlConfig> {
    OriginAccessControlConfig::builder()
        .set_name(text(v, "Name"))
        .set_description(text(v, "Description"))
        .set_signing_protocol(choice(v, "SigningProtocol"))
        .set_signing_behavior(choice(v, "SigningBehavior"))
        .set_origin_access_control_origin_type(choice(v, "OriginAccessControlOriginType"))
        .build()
        .map_err(unbuilt)
}

pub fn invalidation_batch(v: &Value) -> Built<InvalidationBatch> {
    InvalidationBatch::builder()
        .set_paths(nested(v, "Paths", |p| {
            Paths::builder()
                .set_quantity(int(p, "Quantity"))
                .set_items(texts(p, "Items"))
                .build()
                .map_err(unbuilt)
        })?)
        .set_caller_reference(text(v, "CallerReference"))
        .build()
        .map_err(unbuilt)
}

// `ViewerCertificate.Certificate` and `CertificateSource` are deprecated, and still taken.
#[allow(deprecated)]
pub fn distribution_config(v: &Value) -> Built<DistributionConfig> {
    DistributionConfig::builder()
        .set_caller_reference(text(v, "CallerReference"))
        .set_aliases(nested(v, "Aliases", |a| {
            Aliases::builder()
                .set_quantity(int(a, "Quantity"))
                .set_items(texts(a, "Items"))
                .build()
                .map_err(unbuilt)
        })?)
        .set_default_root_object(text(v, "DefaultRootObject"))
        .set_origins(nested(v, "Origins", |o| {
            Origins::builder()
                .set_quantity(int(o, "Quantity"))
                .set_items(each(o, "Items", origin)?)
                .build()
                .map_err(unbuilt)
        })?)
        .set_origin_groups(nested(v, "OriginGroups", |g| {
            OriginGroups::builder()
                .set_quantity(int(g, "Quantity"))
                .set_items(each(g, "Items", origin_group)?)
                .build()
                .map_err(unbuilt)
        })?)
        .set_default_cache_behavior(nested(v, "DefaultCacheBehavior", default_cache_behavior)?)
        .set_cache_behaviors(nested(v, "CacheBehaviors", |b| {
            CacheBehaviors::builder()
                .set_quantity(int(b, "Quantity"))
                .set_items(each(b, "Items", cache_behavior)?)
                .build()
                .map_err(unbuilt)
        })?)
        .set_custom_error_responses(nested(v, "CustomErrorResponses", custom_error_responses)?)
        .set_comment(text(v, "Comment"))
        .set_logging(nested(v, "Logging", |l| {
            Ok(LoggingConfig::builder()
                .set_enabled(flag(l, "Enabled"))
                .set_include_cookies(flag(l, "IncludeCookies"))
                .set_bucket(text(l, "Bucket"))
                .set_prefix(text(l, "Prefix"))
                .build())
        })?)
        .set_price_class(choice(v, "PriceClass"))
        .set_enabled(flag(v, "Enabled"))
        .set_viewer_certificate(nested(v, "ViewerCertificate", |c| {
            Ok(ViewerCertificate::builder()
                .set_cloud_front_default_certificate(flag(c, "CloudFrontDefaultCertificate"))
                .set_iam_certificate_id(text(c, "IAMCertificateId"))
                .set_acm_certificate_arn(text(c, "ACMCertificateArn"))
                .set_ssl_support_method(choice(c, "SSLSupportMethod"))
                .set_minimum_protocol_version(choice(c, "MinimumProtocolVersion"))
                .set_certificate(text(c, "Certificate"))
                .set_certificate_source(choice(c, "CertificateSource"))
                .build())
        })?)
        .set_restrictions(nested(v, "Restrictions", |r| {
            Ok(Restrictions::builder()
                .set_geo_restriction(nested(r, "GeoRestriction", |g| {
                    GeoRestriction::builder()
                        .set_restriction_type(choice(g, "RestrictionType"))
                        .set_quantity(int(g, "Quantity"))
                        .set_items(texts(g, "Items"))
                        .build()
                        .map_err(unbuilt)
                })?)
                .build())
        })?)
        .set_web_acl_id(text(v, "WebACLId"))
        .set_http_version(choice(v, "HttpVersion"))
        .set_is_ipv6_enabled(flag(v, "IsIPV6Enabled"))
        .set_continuous_deployment_policy_id(text(v, "ContinuousDeploymentPolicyId"))
        .set_staging(flag(v, "Staging"))
        .set_anycast_ip_list_id(text(v, "AnycastIpListId"))
        .set_tenant_config(nested(v, "TenantConfig", tenant_config)?)
        .set_connection_mode(choice(v, "ConnectionMode"))
        .set_viewer_mtls_config(nested(v, "ViewerMtlsConfig", viewer_mtls_config)?)
        .set_connection_function_association(nested(v, "ConnectionFunctionAssociation", |a| {
            ConnectionFunctionAssociation::builder()
                .set_id(text(a, "Id"))
                .build()
                .map_err(unbuilt)
        })?)
        .set_cache_tag_config(nested(v, "CacheTagConfig", |t| {
            CacheTagConfig::builder()
                .set_header_name(text(t, "HeaderName"))
                .build()
                .map_err(unbuilt)
        })?)
        .build()
        .map_err(unbuilt)
}

fn origin(v: &Value) -> Built<Origin> {
    Origin::builder()
        .set_id(text(v, "Id"))
        .set_domain_name(text(v, "DomainName"))
        .set_origin_path(text(v, "OriginPath"))
        .set_custom_headers(nested(v, "CustomHeaders", |h| {
            CustomHeaders::builder()
                .set_quantity(int(h, "Quantity"))
                .set_items(each(h, "Items", |header| {
                    OriginCustomHeader::builder()
                        .set_header_name(text(header, "HeaderName"))
                        .set_header_value(text(header, "HeaderValue"))
                        .build()
                        .map_err(unbuilt)
                })?)
                .build()
                .map_err(unbuilt)
        })?)
        .set_s3_origin_config(nested(v, "S3OriginConfig", |s3| {
            Ok(S3OriginConfig::builder()
                .set_origin_access_identity(text(s3, "OriginAccessIdentity"))
                .set_origin_read_timeout(int(s3, "OriginReadTimeout"))
                .build())
        })?)
        .set_custom_origin_config(nested(v, "CustomOriginConfig", custom_origin_config)?)
        .set_vpc_origin_config(nested(v, "VpcOriginConfig", |vpc| {
            VpcOriginConfig::builder()
                .set_vpc_origin_id(text(vpc, "VpcOriginId"))
                .set_owner_account_id(text(vpc, "OwnerAccountId"))
                .set_origin_read_timeout(int(vpc, "OriginReadTimeout"))
                .set_origin_keepalive_timeout(int(vpc, "OriginKeepaliveTimeout"))
                .build()
                .map_err(unbuilt)
        })?)
        .set_connection_attempts(int(v, "ConnectionAttempts"))
        .set_connection_timeout(int(v, "ConnectionTimeout"))
        .set_response_completion_timeout(int(v, "ResponseCompletionTimeout"))
        .set_origin_shield(nested(v, "OriginShield", |shield| {
            OriginShield::builder()
                .set_enabled(flag(shield, "Enabled"))
                .set_origin_shield_region(text(shield, "OriginShieldRegion"))
                .build()
                .map_err(unbuilt)
        })?)
        .set_origin_access_control_id(text(v, "OriginAccessControlId"))
        .build()
        .map_err(unbuilt)
}

fn custom_origin_config(v: &Value) -> Built<CustomOriginConfig> {
    CustomOriginConfig::builder()
        .set_http_port(int(v, "HTTPPort"))
        .set_https_port(int(v, "HTTPSPort"))
        .set_origin_protocol_policy(choice(v, "OriginProtocolPolicy"))
        .set_origin_ssl_protocols(nested(v, "OriginSslProtocols", |p| {
            OriginSslProtocols::builder()
                .set_quantity(int(p, "Quantity"))
                .set_items(choices(p, "Items"))
                .build()
                .map_err(unbuilt)
        })?)
        .set_origin_read_timeout(int(v, "OriginReadTimeout"))
        .set_origin_keepalive_timeout(int(v, "OriginKeepaliveTimeout"))
        .set_ip_address_type(choice(v, "IpAddressType"))
        .set_origin_mtls_config(nested(v, "OriginMtlsConfig", |m| {
            OriginMtlsConfig::builder()
                .set_client_certificate_arn(text(m, "ClientCertificateArn"))
                .build()
                .map_err(unbuilt)
        })?)
        .build()
        .map_err(unbuilt)
}

fn origin_group(v: &Value) -> Built<OriginGroup> {
    OriginGroup::builder()
        .set_id(text(v, "Id"))
        .set_failover_criteria(nested(v, "FailoverCriteria", |f| {
            Ok(OriginGroupFailoverCriteria::builder()
                .set_status_codes(nested(f, "StatusCodes", |codes| {
                    StatusCodes::builder()
                        .set_quantity(int(codes, "Quantity"))
                        .set_items(
                            codes
                                .get("Items")
                                .and_then(Value::as_array)
                                .map(|items| items.iter().filter_map(number).map(narrow).collect()),
                        )
                        .build()
                        .map_err(unbuilt)
                })?)
                .build())
        })?)
        .set_members(nested(v, "Members", |m| {
            OriginGroupMembers::builder()
                .set_quantity(int(m, "Quantity"))
                .set_items(each(m, "Items", |member| {
                    OriginGroupMember::builder()
                        .set_origin_id(text(member, "OriginId"))
                        .build()
                        .map_err(unbuilt)
                })?)
                .build()
                .map_err(unbuilt)
        })?)
        .set_selection_criteria(choice(v, "SelectionCriteria"))
        .build()
        .map_err(unbuilt)
}

/// Sets what `DefaultCacheBehavior` and `CacheBehavior` share: two SDK builders with the
/// same setters.
macro_rules! behavior {
    ($builder:expr, $v:expr) => {{
        let v = $v;
        $builder
            .set_target_origin_id(text(v, "TargetOriginId"))
            .set_trusted_signers(nested(v, "TrustedSigners", |t| {
                TrustedSigners::builder()
                    .set_enabled(flag(t, "Enabled"))
                    .set_quantity(int(t, "Quantity"))
                    .set_items(texts(t, "Items"))
                    .build()
                    .map_err(unbuilt)
            })?)
            .set_trusted_key_groups(nested(v, "TrustedKeyGroups", |t| {
                TrustedKeyGroups::builder()
                    .set_enabled(flag(t, "Enabled"))
                    .set_quantity(int(t, "Quantity"))
                    .set_items(texts(t, "Items"))
                    .build()
                    .map_err(unbuilt)
            })?)
            .set_viewer_protocol_policy(choice(v, "ViewerProtocolPolicy"))
            .set_allowed_methods(nested(v, "AllowedMethods", allowed_methods)?)
            .set_smooth_streaming(flag(v, "SmoothStreaming"))
            .set_compress(flag(v, "Compress"))
            .set_lambda_function_associations(nested(
                v,
                "LambdaFunctionAssociations",
                lambda_function_associations,
            )?)
            .set_function_associations(nested(v, "FunctionAssociations", function_associations)?)
            .set_field_level_encryption_id(text(v, "FieldLevelEncryptionId"))
            .set_realtime_log_config_arn(text(v, "RealtimeLogConfigArn"))
            .set_cache_policy_id(text(v, "CachePolicyId"))
            .set_origin_request_policy_id(text(v, "OriginRequestPolicyId"))
            .set_response_headers_policy_id(text(v, "ResponseHeadersPolicyId"))
            .set_grpc_config(nested(v, "GrpcConfig", |g| {
                GrpcConfig::builder()
                    .set_enabled(flag(g, "Enabled"))
                    .build()
                    .map_err(unbuilt)
            })?)
            .set_forwarded_values(nested(v, "ForwardedValues", forwarded_values)?)
            .set_min_ttl(long(v, "MinTTL"))
            .set_default_ttl(long(v, "DefaultTTL"))
            .set_max_ttl(long(v, "MaxTTL"))
            .build()
            .map_err(unbuilt)
    }};
}

// The legacy `ForwardedValues` and TTLs are deprecated, and what the CLI's own shortcut
// sends.
#[allow(deprecated)]
fn default_cache_behavior(v: &Value) -> Built<DefaultCacheBehavior> {
    behavior!(DefaultCacheBehavior::builder(), v)
}

#[allow(deprecated)]
fn cache_behavior(v: &Value) -> Built<CacheBehavior> {
    let builder = CacheBehavior::builder().set_path_pattern(text(v, "PathPattern"));
    behavior!(builder, v)
}

fn allowed_methods(v: &Value) -> Built<AllowedMethods> {
    AllowedMethods::builder()
        .set_quantity(int(v, "Quantity"))
        .set_items(choices(v, "Items"))
        .set_cached_methods(nested(v, "CachedMethods", |c| {
            CachedMethods::builder()
                .set_quantity(int(c, "Quantity"))
                .set_items(choices(c, "Items"))
                .build()
                .map_err(unbuilt)
        })?)
        .build()
        .map_err(unbuilt)
}

fn lambda_function_associations(v: &Value) -> Built<LambdaFunctionAssociations> {
    LambdaFunctionAssociations::builder()
        .set_quantity(int(v, "Quantity"))
        .set_items(each(v, "Items", |a| {
            LambdaFunctionAssociation::builder()
                .set_lambda_function_arn(text(a, "LambdaFunctionARN"))
                .set_event_type(choice(a, "EventType"))
                .set_include_body(flag(a, "IncludeBody"))
                .build()
                .map_err(unbuilt)
        })?)
        .build()
        .map_err(unbuilt)
}

fn function_associations(v: &Value) -> Built<FunctionAssociations> {
    FunctionAssociations::builder()
        .set_quantity(int(v, "Quantity"))
        .set_items(each(v, "Items", |a| {
            FunctionAssociation::builder()
                .set_function_arn(text(a, "FunctionARN"))
                .set_event_type(choice(a, "EventType"))
                .build()
                .map_err(unbuilt)
        })?)
        .build()
        .map_err(unbuilt)
}

fn forwarded_values(v: &Value) -> Built<ForwardedValues> {
    ForwardedValues::builder()
        .set_query_string(flag(v, "QueryString"))
        .set_cookies(nested(v, "Cookies", |c| {
            CookiePreference::builder()
                .set_forward(choice(c, "Forward"))
                .set_whitelisted_names(nested(c, "WhitelistedNames", |n| {
                    CookieNames::builder()
                        .set_quantity(int(n, "Quantity"))
                        .set_items(texts(n, "Items"))
                        .build()
                        .map_err(unbuilt)
                })?)
                .build()
                .map_err(unbuilt)
        })?)
        .set_headers(nested(v, "Headers", |h| {
            Headers::builder()
                .set_quantity(int(h, "Quantity"))
                .set_items(texts(h, "Items"))
                .build()
                .map_err(unbuilt)
        })?)
        .set_query_string_cache_keys(nested(v, "QueryStringCacheKeys", |k| {
            QueryStringCacheKeys::builder()
                .set_quantity(int(k, "Quantity"))
                .set_items(texts(k, "Items"))
                .build()
                .map_err(unbuilt)
        })?)
        .build()
        .map_err(unbuilt)
}

fn custom_error_responses(v: &Value) -> Built<CustomErrorResponses> {
    CustomErrorResponses::builder()
        .set_quantity(int(v, "Quantity"))
        .set_items(each(v, "Items", |r| {
            CustomErrorResponse::builder()
                .set_error_code(int(r, "ErrorCode"))
                .set_response_page_path(text(r, "ResponsePagePath"))
                .set_response_code(text(r, "ResponseCode"))
                .set_error_caching_min_ttl(long(r, "ErrorCachingMinTTL"))
                .build()
                .map_err(unbuilt)
        })?)
        .build()
        .map_err(unbuilt)
}

fn tenant_config(v: &Value) -> Built<TenantConfig> {
    Ok(TenantConfig::builder()
        .set_parameter_definitions(each(v, "ParameterDefinitions", |p| {
            ParameterDefinition::builder()
                .set_name(text(p, "Name"))
                .set_definition(nested(p, "Definition", |d| {
                    Ok(ParameterDefinitionSchema::builder()
                        .set_string_schema(nested(d, "StringSchema", |s| {
                            StringSchemaConfig::builder()
                                .set_comment(text(s, "Comment"))
                                .set_default_value(text(s, "DefaultValue"))
                                .set_required(flag(s, "Required"))
                                .build()
                                .map_err(unbuilt)
                        })?)
                        .build())
                })?)
                .build()
                .map_err(unbuilt)
        })?)
        .build())
}

fn viewer_mtls_config(v: &Value) -> Built<ViewerMtlsConfig> {
    Ok(ViewerMtlsConfig::builder()
        .set_mode(choice(v, "Mode"))
        .set_trust_store_config(nested(v, "TrustStoreConfig", |t| {
            TrustStoreConfig::builder()
                .set_trust_store_id(text(t, "TrustStoreId"))
                .set_advertise_trust_store_ca_names(flag(t, "AdvertiseTrustStoreCaNames"))
                .set_ignore_certificate_expiry(flag(t, "IgnoreCertificateExpiry"))
                .build()
                .map_err(unbuilt)
        })?)
        .build())
}

// ---- reading checked members ---------------------------------------------------------

/// A structure member, built.
fn nested<T>(v: &Value, key: &str, build: impl Fn(&Value) -> Built<T>) -> Built<Option<T>> {
    v.get(key).map(build).transpose()
}

/// A list of structures, each built.
fn each<T>(v: &Value, key: &str, build: impl Fn(&Value) -> Built<T>) -> Built<Option<Vec<T>>> {
    v.get(key)
        .and_then(Value::as_array)
        .map(|items| items.iter().map(build).collect())
        .transpose()
}

fn texts(v: &Value, key: &str) -> Option<Vec<String>> {
    let items = v.get(key)?.as_array()?;
    Some(
        items
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_string)
            .collect(),
    )
}

/// One of the model's enums: the SDK keeps a value it does not know, and CloudFront
/// judges it.
fn choice<T: for<'a> From<&'a str>>(v: &Value, key: &str) -> Option<T> {
    v.get(key).and_then(Value::as_str).map(T::from)
}

fn choices<T: for<'a> From<&'a str>>(v: &Value, key: &str) -> Option<Vec<T>> {
    texts(v, key).map(|items| items.iter().map(|item| T::from(item.as_str())).collect())
}

fn flag(v: &Value, key: &str) -> Option<bool> {
    v.get(key).and_then(Value::as_bool)
}

/// A whole number; the model's checks let a flag through as Python does (`True` is 1).
fn number(value: &Value) -> Option<i64> {
    value.as_i64().or_else(|| value.as_bool().map(i64::from))
}

fn long(v: &Value, key: &str) -> Option<i64> {
    v.get(key).and_then(number)
}

fn int(v: &Value, key: &str) -> Option<i32> {
    long(v, key).map(narrow)
}

/// An `integer` of the model, held to the SDK's `i32` (CloudFront's own limits are far
/// smaller, and it judges the value).
fn narrow(number: i64) -> i32 {
    i32::try_from(number).unwrap_or(if number < 0 { i32::MIN } else { i32::MAX })
}

/// A member the SDK requires was missing: the model's check comes first, so this is
/// only a backstop.
fn unbuilt(error: BuildError) -> Failure {
    Failure::Client(format!("Parameter validation failed:\n{error}"))
}
