"""The fixed catalogue of the search tests: 18 booths across eight provinces (three of them in Vĩnh Long,
two of which give a legacy district, "Cầu Kè" and "Trà Cú"), every entity type and OCOP group, products
with and without a current certificate, plus products a shopper must never find (unpublished, deleted,
of a pending or a suspended booth).

Names are chosen to test the hard cases: coconut (dừa), melon (dưa) and pineapple (dứa) fold to the same
word; "Bánh tét" as a phrase and "bánh … Tết" apart; "Kẹo dừa" in a description only; the same product
name at two booths."""
from dataclasses import dataclass, field
from datetime import date, timedelta

from storefront.extensions import db
from storefront.models import utcnow
from tests.factories import make_product, make_vendor

EXPIRED = date.today() - timedelta(days=4 * 365)  # a decision this old lapsed (certificates last 36 months)

# key: (name, entity type, province, commune, legacy district, status)
BOOTHS = {
    "thanh_long": ("Hợp tác xã Kẹo dừa Thanh Long", "hop_tac_xa", "vinh-long", "Xã Tân Thành Bình", "Mỏ Cày Bắc", "approved"),
    "tra_cuon": ("Cơ sở Bánh tét Trà Cuôn Cô Ba", "ho_kinh_doanh", "vinh-long", "Xã Tam Ngãi", "Cầu Kè", "approved"),
    "ngoc_bien": ("Hợp tác xã Nông nghiệp Ngọc Biên", "hop_tac_xa", "vinh-long", "Xã Hàm Giang", "Trà Cú", "approved"),
    "con_phung": ("Doanh nghiệp Du lịch Cồn Phụng", "doanh_nghiep", "vinh-long", "Xã Tân Thạch", "Châu Thành", "approved"),
    "thanh_ha": ("Công ty TNHH Nước mắm Thanh Hà", "cong_ty", "an-giang", "Đặc khu Phú Quốc", "", "approved"),
    "meo_vac": ("Hợp tác xã Mật ong bạc hà Mèo Vạc", "hop_tac_xa", "tuyen-quang", "Xã Mèo Vạc", "Mèo Vạc", "approved"),
    "phu_vinh": ("Tổ hợp tác Mây tre đan Phú Vinh", "to_hop_tac", "ha-noi", "Xã Phú Nghĩa", "Chương Mỹ", "approved"),
    "thuong": ("Hộ kinh doanh Nguyễn Thị Thương", "ho_kinh_doanh", "dong-thap", "Xã Long Định", "Châu Thành", "approved"),
    "dac_san": ("Công ty Cổ phần Đặc sản Sóc Trăng", "cong_ty", "can-tho", "Phường Phú Lợi", "", "approved"),
    "ong_cua": ("Doanh nghiệp Gạo Ông Cua", "doanh_nghiep", "can-tho", "Xã Mỹ Xuyên", "", "approved"),
    "cong_bang": ("Hợp tác xã Cà phê Công Bằng", "hop_tac_xa", "dak-lak", "Xã Ea Kiết", "Cư M'gar", "approved"),
    "tan_cuong": ("Hợp tác xã Chè Hoàng Bình", "hop_tac_xa", "thai-nguyen", "Phường Tân Cương", "", "approved"),
    "sa_dec": ("Hợp tác xã Hoa kiểng Tân Quy Đông", "hop_tac_xa", "dong-thap", "Phường Sa Đéc", "", "approved"),
    "phong_dien": ("Hộ kinh doanh Dầu tràm Bảo Hân", "ho_kinh_doanh", "hue", "Xã Phong Điền", "", "approved"),
    "bau_da": ("Công ty TNHH Rượu Bàu Đá An Nhơn", "cong_ty", "gia-lai", "Phường An Nhơn", "", "approved"),
    "pending": ("Cơ sở Kẹo dừa Mới Mở", "ho_kinh_doanh", "vinh-long", "Xã Giồng Trôm", "", "pending"),
    "suspended": ("Cơ sở Kẹo dừa Bà Hai", "ho_kinh_doanh", "vinh-long", "Xã Ba Tri", "", "suspended"),
}


@dataclass(frozen=True)
class Item:
    name: str
    booth: str
    group: str
    product_set: str | None
    price: int
    star: int | None = None
    stock: int = 20
    description: str = ""
    cert_status: str = "certified"
    decided_on: date | None = None
    published: bool = True
    deleted: bool = False


P = Item
PRODUCTS = [
    # Vĩnh Long (formerly Bến Tre): coconut
    P("Kẹo dừa sầu riêng", "thanh_long", "thuc_pham", "banh_keo_mut", 65_000, 4,
      description="Kẹo dừa Bến Tre nấu từ nước cốt dừa tươi và sầu riêng Cái Mơn, dẻo thơm."),
    P("Kẹo dừa lá dứa", "thanh_long", "thuc_pham", "banh_keo_mut", 55_000, 3, stock=0,
      description="Kẹo mềm màu xanh lá dứa, gói giấy bóng kính."),
    P("Kẹo dừa đậu phộng", "thanh_long", "thuc_pham", "banh_keo_mut", 50_000,
      description="Kẹo dừa giòn với đậu phộng rang."),
    P("Dầu dừa nguyên chất", "thanh_long", "thuc_pham", "che_bien_rau_qua", 120_000, 4,
      description="Ép lạnh từ cơm dừa khô, dùng nấu ăn và dưỡng tóc."),
    P("Rượu dừa Thanh Long", "thanh_long", "do_uong", "do_uong_co_con_khac", 150_000, 3, decided_on=EXPIRED,
      description="Rượu nếp ủ trong trái dừa xiêm."),
    P("Kẹo dừa bí đỏ", "thanh_long", "thuc_pham", "banh_keo_mut", 60_000, published=False),
    P("Kẹo dừa sô cô la", "thanh_long", "thuc_pham", "banh_keo_mut", 70_000, deleted=True),
    # Vĩnh Long (formerly Trà Vinh), Cầu Kè
    P("Bánh tét lá cẩm", "tra_cuon", "thuc_pham", "che_bien_gao", 90_000, 4,
      description="Nếp ngâm nước lá cẩm tím, nhân đậu xanh và thịt mỡ, gói lá chuối."),
    P("Bánh tét Trà Cuôn nhân chuối", "tra_cuon", "thuc_pham", "che_bien_gao", 80_000, 3,
      description="Món quà quê của làng nghề Trà Cuôn."),
    # Vĩnh Long (formerly Trà Vinh), Trà Cú
    P("Cốm dẹp Ba So", "ngoc_bien", "thuc_pham", "che_bien_gao", 60_000, 3,
      description="Cốm dẹp của đồng bào Khmer, giã từ lúa nếp non."),
    P("Mắm bò hóc", "ngoc_bien", "thuc_pham", "thuy_hai_san", 70_000,
      description="Mắm cá lóc ủ thính gạo rang theo cách của người Khmer."),
    # Vĩnh Long (formerly Bến Tre): eco-tourism and a second coconut booth
    P("Tour sinh thái Cồn Phụng", "con_phung", "du_lich", "du_lich_cong_dong", 250_000, 3, stock=0,
      description="Đi thuyền trên rạch, thăm lò kẹo, nghe đờn ca tài tử."),
    P("Kẹo dừa Cồn Phụng", "con_phung", "thuc_pham", "banh_keo_mut", 45_000, stock=12),
    P("Dầu dừa nguyên chất", "con_phung", "thuc_pham", "che_bien_rau_qua", 110_000),
    # An Giang (formerly Kiên Giang), Phú Quốc
    P("Nước mắm cốt cá cơm 40 độ đạm", "thanh_ha", "thuc_pham", "nuoc_mam_gia_vi_long", 180_000, 5,
      description="Cá cơm than ủ chượp 12 tháng trong thùng gỗ bời lời."),
    P("Nước mắm nhĩ Phú Quốc", "thanh_ha", "thuc_pham", "nuoc_mam_gia_vi_long", 250_000, 5,
      cert_status="potential_5", description="Những giọt nhĩ đầu tiên của thùng chượp."),
    P("Tiêu đen Phú Quốc", "thanh_ha", "thuc_pham", "gia_vi", 95_000, 3),
    # Tuyên Quang (formerly Hà Giang), Mèo Vạc
    P("Mật ong bạc hà Mèo Vạc", "meo_vac", "thuc_pham", "mat_ong", 320_000, 5,
      description="Mật ong từ hoa bạc hà trên cao nguyên đá Đồng Văn."),
    P("Mật ong rừng nguyên chất", "meo_vac", "thuc_pham", "mat_ong", 280_000, 4),
    P("Rượu ngô men lá", "meo_vac", "do_uong", "ruou_trang", 110_000, 3,
      description="Ngô đá nấu với men lá rừng."),
    # Hà Nội: bamboo and rattan
    P("Đũa tre tự nhiên", "phu_vinh", "thu_cong_my_nghe", "tcmn_gia_dung", 45_000, 3,
      description="Đũa tre già, không tẩm hóa chất, hộp 10 đôi."),
    P("Giỏ mây tre đan", "phu_vinh", "thu_cong_my_nghe", "tcmn_gia_dung", 150_000, 4),
    P("Khay tre đựng bánh kẹo", "phu_vinh", "thu_cong_my_nghe", "tcmn_gia_dung", 85_000),
    # Đồng Tháp (formerly Tiền Giang): melons, pineapple jam, prawn crackers
    P("Dưa lưới ruột cam", "thuong", "thuc_pham", "rau_cu_qua_tuoi", 85_000, 3,
      description="Trồng trong nhà màng, ngọt mát."),
    P("Dưa lưới Taki", "thuong", "thuc_pham", "rau_cu_qua_tuoi", 95_000, stock=0),
    P("Mứt dứa Tân Phước", "thuong", "thuc_pham", "banh_keo_mut", 55_000, 3),
    P("Bánh phồng tôm quà Tết", "thuong", "thuc_pham", "thuy_hai_san", 40_000,
      description="Chiên giòn, món quen của mâm cỗ."),
    P("Xoài cát Hòa Lộc", "thuong", "thuc_pham", "rau_cu_qua_tuoi", 70_000, 4),
    # Cần Thơ (formerly Sóc Trăng)
    P("Bánh pía sầu riêng trứng muối", "dac_san", "thuc_pham", "banh_keo_mut", 75_000, 4),
    P("Lạp xưởng tươi", "dac_san", "thuc_pham", "che_bien_thit_trung_sua", 160_000, 3),
    P("Hộp quà đặc sản miền Tây", "dac_san", "thuc_pham", "banh_keo_mut", 350_000,
      description="Kẹo dừa, bánh pía và mứt chuối trong một hộp quà."),
    P("Gạo ST25 Ông Cua", "ong_cua", "thuc_pham", "gao_ngu_coc", 45_000, 5),
    P("Gạo lứt tím than", "ong_cua", "thuc_pham", "gao_ngu_coc", 60_000, 3),
    # Đắk Lắk
    P("Cà phê Robusta rang xay", "cong_bang", "thuc_pham", "ca_phe_ca_cao", 140_000, 4),
    P("Cà phê hạt Arabica", "cong_bang", "thuc_pham", "ca_phe_ca_cao", 190_000, 3),
    P("Ca cao nguyên chất", "cong_bang", "thuc_pham", "ca_phe_ca_cao", 130_000),
    # Thái Nguyên
    P("Chè Tân Cương đặc biệt", "tan_cuong", "thuc_pham", "che", 300_000, 4),
    P("Trà xanh móc câu", "tan_cuong", "thuc_pham", "che", 200_000, 3),
    # Đồng Tháp, Sa Đéc: ornamental plants
    P("Hoa hồng Sa Đéc", "sa_dec", "sinh_vat_canh", "hoa_cay_canh", 60_000, 3),
    P("Cây kiểng bonsai mai chiếu thủy", "sa_dec", "sinh_vat_canh", "hoa_cay_canh", 900_000, 4),
    # Huế (formerly Thừa Thiên Huế)
    P("Tinh dầu tràm Huế", "phong_dien", "duoc_lieu", "tinh_dau_thao_duoc", 120_000, 4),
    P("Mè xửng Huế", "phong_dien", "thuc_pham", "banh_keo_mut", 50_000, 3),
    # Gia Lai (formerly Bình Định)
    P("Rượu Bàu Đá", "bau_da", "do_uong", "ruou_trang", 210_000, 4),
    P("Nem chợ Huyện", "bau_da", "thuc_pham", "che_bien_thit_trung_sua", 90_000, 3),
    # Never shown: a pending booth and a suspended one
    P("Kẹo dừa Bến Tre chính gốc", "pending", "thuc_pham", "banh_keo_mut", 60_000, 4),
    P("Kẹo dừa Bà Hai", "suspended", "thuc_pham", "banh_keo_mut", 40_000, 3),
]
HIDDEN = ["Kẹo dừa bí đỏ", "Kẹo dừa sô cô la", "Kẹo dừa Bến Tre chính gốc", "Kẹo dừa Bà Hai"]


def is_visible(item):
    return item.published and not item.deleted and BOOTHS[item.booth][5] == "approved"


def names_of(*booths):
    """Names of the products a shopper may see at these booths, sorted (with repeats)."""
    return sorted(item.name for item in PRODUCTS if item.booth in booths and is_visible(item))


def star_key(item):
    """The star filter value the item answers to ('3', '4', '5', 'p5'), '' without a current certificate."""
    if not item.star or item.decided_on == EXPIRED:
        return ""
    return "p5" if item.cert_status == "potential_5" else str(item.star)


@dataclass
class Catalogue:
    """What was loaded: product ids to Item, booth keys to vendor ids."""
    items: dict = field(default_factory=dict)  # product id -> Item
    booths: dict = field(default_factory=dict)  # booth key -> vendor id

    def booth_of(self, product_id):
        return self.items[product_id].booth

    names_of = staticmethod(names_of)


def load():
    """Write the catalogue in one transaction (so one drain indexes it) and describe it."""
    vendors = {}
    for key, (name, entity_type, province, commune, legacy, status) in BOOTHS.items():
        vendors[key] = make_vendor(name, slug=key.replace("_", "-"), entity_type=entity_type, province=province,
                                   commune=commune, legacy_district=legacy, status=status, commit=False)
    products = []
    for item in PRODUCTS:
        extra = {"deleted_at": utcnow()} if item.deleted else {}
        products.append(make_product(
            vendors[item.booth], item.name, group=item.group, product_set=item.product_set, price_vnd=item.price,
            stock=item.stock, star=item.star, cert_status=item.cert_status, decided_on=item.decided_on,
            description=item.description, is_published=item.published and not item.deleted, commit=False,
            **extra))
    db.session.commit()
    catalogue = Catalogue(booths={key: v.id for key, v in vendors.items()})
    for item, product in zip(PRODUCTS, products):
        catalogue.items[product.id] = item
    return catalogue
